/**
 * SaslAuthenticate Request (Version: 0) => auth_bytes
 *   auth_bytes => BYTES
 */
import type { Decoder } from '../../../decoder';
import type { SaslAuthenticateRequest } from '../types';

export function decode(d: Decoder): SaslAuthenticateRequest {
  return { authBytes: d.readBytes() };
}
