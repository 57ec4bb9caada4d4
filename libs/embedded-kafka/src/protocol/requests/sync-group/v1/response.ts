/**
 * SyncGroup Response (Version: 1) => throttle_time_ms error_code assignment
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   assignment => BYTES
 */
import type { Encoder } from '../../../encoder';
import type { SyncGroupResponse } from '../types';
import { encode as encodeV0 } from '../v0/response';

export function encode(encoder: Encoder, response: SyncGroupResponse): void {
  encoder.writeInt32(response.throttleTimeMs);
  encodeV0(encoder, response);
}
