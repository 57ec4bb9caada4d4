/**
 * ListOffsets Request (Version: 0) => replica_id [topics]
 *   replica_id => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index timestamp max_num_offsets
 *       partition_index => INT32
 *       timestamp => INT64
 *       max_num_offsets => INT32
 */
import type { Decoder } from '../../../decoder';
import type { ListOffsetsRequest } from '../types';

export function decode(d: Decoder): ListOffsetsRequest {
  const replicaId = d.readInt32();
  const topics = d.readArray((x) => ({
    name: x.readString(),
    partitions: x.readArray((y) => ({
      partitionIndex: y.readInt32(),
      currentLeaderEpoch: -1,
      timestamp: y.readInt64(),
      maxNumOffsets: y.readInt32(),
    })),
  }));
  return { replicaId, isolationLevel: 0, topics };
}
