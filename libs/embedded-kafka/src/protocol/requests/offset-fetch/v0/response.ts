/**
 * OffsetFetch Response (Version: 0) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { OffsetFetchResponse } from '../types';

export function encodeTopics(encoder: Encoder, topics: OffsetFetchResponse['topics']): void {
  encoder.writeArray(topics, (e, t) => {
    e.writeString(t.name).writeArray(t.partitions, (pe, p) => {
      pe.writeInt32(p.partitionIndex)
        .writeInt64(p.committedOffset)
        .writeNullableString(p.metadata)
        .writeInt16(p.errorCode);
    });
  });
}

/** v0-1 have no top-level error: a coordinator error is carried by every partition. */
export function encode(encoder: Encoder, response: OffsetFetchResponse): void {
  encodeTopics(encoder, response.topics);
}
