/**
 * SaslAuthenticate Response (Version: 1) => error_code error_message auth_bytes session_lifetime_ms
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   auth_bytes => BYTES
 *   session_lifetime_ms => INT64
 */
import type { Encoder } from '../../../encoder';
import type { SaslAuthenticateResponse } from '../types';
import { encode as encodeV0 } from '../v0/response';

export function encode(e: Encoder, r: SaslAuthenticateResponse): void {
  encodeV0(e, r);
  e.writeInt64(r.sessionLifetimeMs);
}
