/**
 * SaslAuthenticate Request (Version: 2) => auth_bytes TAG_BUFFER
 *   auth_bytes => COMPACT_BYTES
 */
import type { Decoder } from '../../../decoder';
import type { SaslAuthenticateRequest } from '../types';

export function decode(d: Decoder): SaslAuthenticateRequest {
  const authBytes = d.readCompactBytes();
  d.readTaggedFields();
  return { authBytes };
}
