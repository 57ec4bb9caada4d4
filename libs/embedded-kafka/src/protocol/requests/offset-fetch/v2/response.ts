/**
 * OffsetFetch Response (Version: 2) => [topics] error_code
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
import { encodeTopics } from '../v0/response';

/** From v2 a coordinator error is top-level and the topics are empty, as Kafka answers. */
export function encode(encoder: Encoder, response: OffsetFetchResponse): void {
  encodeTopics(encoder, response.errorCode === 0 ? response.topics : []);
  encoder.writeInt16(response.errorCode);
}
