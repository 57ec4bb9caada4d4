/**
 * SaslAuthenticate Response (Version: 0) => error_code error_message auth_bytes
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   auth_bytes => BYTES
 */
import type { Encoder } from '../../../encoder';
import type { SaslAuthenticateResponse } from '../types';

export function encode(e: Encoder, r: SaslAuthenticateResponse): void {
  e.writeInt16(r.errorCode).writeNullableString(r.errorMessage).writeBytes(r.authBytes);
}
