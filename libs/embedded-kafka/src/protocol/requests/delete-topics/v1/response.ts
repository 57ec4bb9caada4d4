/**
 * DeleteTopics Response (Version: 1) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => name error_code      (as v0)
 */
import type { Encoder } from '../../../encoder';
import type { DeleteTopicsResponse } from '../types';
import { encode as encodeV0 } from '../v0/response';

export function encode(e: Encoder, r: DeleteTopicsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  encodeV0(e, r);
}
