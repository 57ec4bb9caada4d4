/**
 * AddOffsetsToTxn Response (Version: 0) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { AddOffsetsToTxnResponse } from '../types';

export function encode(e: Encoder, r: AddOffsetsToTxnResponse): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode);
}
