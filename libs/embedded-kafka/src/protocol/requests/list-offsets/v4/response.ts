/**
 * ListOffsets Response (Version: 4) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code timestamp offset leader_epoch
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
  e.writeArray(r.topics, (x, t) => {
    x.writeString(t.name);
    x.writeArray(t.partitions, (y, p) => {
      y.writeInt32(p.partitionIndex).writeInt16(p.errorCode).writeInt64(p.timestamp);
      y.writeInt64(p.offset).writeInt32(p.leaderEpoch);
    });
  });
}
