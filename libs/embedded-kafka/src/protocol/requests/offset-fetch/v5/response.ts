/**
 * OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32   (always -1: leader epochs of commits are not kept)
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { OffsetFetchResponse } from '../types';

export function encode(e: Encoder, r: OffsetFetchResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeArray(r.errorCode === 0 ? r.topics : [], (x, t) => {
    x.writeString(t.name).writeArray(t.partitions, (y, p) => {
      y.writeInt32(p.partitionIndex).writeInt64(p.committedOffset).writeInt32(-1);
      y.writeNullableString(p.metadata).writeInt16(p.errorCode);
    });
  });
  e.writeInt16(r.errorCode);
}
