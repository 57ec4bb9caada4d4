/**
 * SaslHandshake Request (Version: 0) => mechanism
 *   mechanism => STRING
 */
import type { Decoder } from '../../../decoder';
import type { SaslHandshakeRequest } from '../types';

export function decode(d: Decoder): SaslHandshakeRequest {
  return { mechanism: d.readString() };
}
