/**
 * OffsetFetch Response (Version: 6) => throttle_time_ms [topics] error_code TAG_BUFFER
 *   throttle_time_ms => INT32
 *   topics => name [partitions] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partitions => partition_index committed_offset committed_leader_epoch metadata error_code TAG_BUFFER
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32   (always -1)
 *       metadata => COMPACT_NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { OffsetFetchResponse } from '../types';

/** The compact topics array of v6+ responses (v8+ per group). */
export function encodeCompactTopics(e: Encoder, topics: OffsetFetchResponse['topics']): void {
  e.writeCompactArray(topics, (x, t) => {
    x.writeCompactString(t.name);
    x.writeCompactArray(t.partitions, (y, p) => {
      y.writeInt32(p.partitionIndex).writeInt64(p.committedOffset).writeInt32(-1);
      y.writeCompactNullableString(p.metadata).writeInt16(p.errorCode).writeTaggedFields();
    });
    x.writeTaggedFields();
  });
}

export function encode(e: Encoder, r: OffsetFetchResponse): void {
  e.writeInt32(r.throttleTimeMs);
  encodeCompactTopics(e, r.errorCode === 0 ? r.topics : []);
  e.writeInt16(r.errorCode).writeTaggedFields();
}
