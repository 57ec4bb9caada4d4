/**
 * OffsetCommit Response (Version: 3) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { OffsetCommitResponse } from '../types';
import { encode as encodeV0 } from '../v0/response';

export function encode(encoder: Encoder, response: OffsetCommitResponse): void {
  encoder.writeInt32(response.throttleTimeMs);
  encodeV0(encoder, response);
}
