/**
 * ListOffsets Response (Version: 6) => throttle_time_ms [topics] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   topics => name [partitions] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partitions => partition_index error_code timestamp offset leader_epoch TAG_BUFFER
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 *       leader_epoch => INT32
 */
import type { Encoder } from '../../../encoder';
import type { ListOffsetsResponse } from '../types';

export function encode(e: Encoder, r: ListOffsetsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.topics, (x, t) => {
    x.writeCompactString(t.name);
    x.writeCompactArray(t.partitions, (y, p) => {
      y.writeInt32(p.partitionIndex).writeInt16(p.errorCode).writeInt64(p.timestamp);
      y.writeInt64(p.offset).writeInt32(p.leaderEpoch).writeTaggedFields();
    });
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}
