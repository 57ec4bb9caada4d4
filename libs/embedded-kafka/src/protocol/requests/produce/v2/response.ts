/**
 * Produce Response (Version: 2) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *   throttle_time_ms => INT32
 */
import type { Encoder } from '../../../encoder';
import type { ProduceResponse } from '../types';
import { encodeResponses } from '../v0/response';

export function encode(e: Encoder, r: ProduceResponse): void {
  encodeResponses(e, r, (x, p) => x.writeInt64(p.logAppendTimeMs));
  e.writeInt32(r.throttleTimeMs);
}
