/**
 * SaslHandshake Response (Version: 0) => error_code [mechanisms]
 *   error_code => INT16
 *   mechanisms => STRING
 */
import type { Encoder } from '../../../encoder';
import type { SaslHandshakeResponse } from '../types';

export function encode(e: Encoder, r: SaslHandshakeResponse): void {
  e.writeInt16(r.errorCode).writeArray(r.mechanisms, (x, m) => x.writeString(m));
}
