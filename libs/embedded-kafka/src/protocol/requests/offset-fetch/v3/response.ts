/**
 * OffsetFetch Response (Version: 3) => throttle_time_ms [topics] error_code
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { OffsetFetchResponse } from '../types';
import { encode as encodeV2 } from '../v2/response';

export function encode(encoder: Encoder, response: OffsetFetchResponse): void {
  encoder.writeInt32(response.throttleTimeMs);
  encodeV2(encoder, response);
}
