/**
 * EndTxn Response (Version: 3) => throttle_time_ms error_code TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { EndTxnResponse } from '../types';

export function encode(e: Encoder, r: EndTxnResponse): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode).writeTaggedFields();
}
