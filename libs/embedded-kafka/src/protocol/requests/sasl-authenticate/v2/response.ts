/**
 * SaslAuthenticate Response (Version: 2) => error_code error_message auth_bytes session_lifetime_ms TAG_BUFFER
 *   error_code => INT16
 *   error_message => COMPACT_NULLABLE_STRING
 *   auth_bytes => COMPACT_BYTES
 *   session_lifetime_ms => INT64
 */
import type { Encoder } from '../../../encoder';
import type { SaslAuthenticateResponse } from '../types';

export function encode(e: Encoder, r: SaslAuthenticateResponse): void {
  e.writeInt16(r.errorCode)
    .writeCompactNullableString(r.errorMessage)
    .writeCompactBytes(r.authBytes)
    .writeInt64(r.sessionLifetimeMs)
    .writeTaggedFields();
}
