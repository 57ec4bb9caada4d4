/**
 * ListOffsets Request (Version: 4) => replica_id isolation_level [topics]
 *   replica_id => INT32
 *   isolation_level => INT8
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index current_leader_epoch timestamp
 *       partition_index => INT32
 *       current_leader_epoch => INT32
 *       timestamp => INT64
 */
import type { Decoder } from '../../../decoder';
import type { ListOffsetsRequest } from '../types';

export function decode(d: Decoder): ListOffsetsRequest {
  const replicaId = d.readInt32();
  const isolationLevel = d.readInt8();
  const topics = d.readArray((x) => ({
    name: x.readString(),
    partitions: x.readArray((y) => ({
      partitionIndex: y.readInt32(),
      currentLeaderEpoch: y.readInt32(),
      timestamp: y.readInt64(),
      maxNumOffsets: 1,
    })),
  }));
  return { replicaId, isolationLevel, topics };
}
