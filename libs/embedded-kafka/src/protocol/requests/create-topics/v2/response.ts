/**
 * CreateTopics Response (Version: 2) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name error_code error_message     (as v1)
 */
import type { Encoder } from '../../../encoder';
import type { CreateTopicsResponse } from '../types';
import { encode as encodeV1 } from '../v1/response';

export function encode(e: Encoder, r: CreateTopicsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  encodeV1(e, r);
}
