/**
 * ListOffsets Request (Version: 1) => replica_id [topics]
 *   replica_id => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index timestamp
 *       partition_index => INT32
 *       timestamp => INT64
 */
import type { Decoder } from '../../../decoder';
import type { ListOffsetsRequest } from '../types';

export function decodeTopics(d: Decoder): ListOffsetsRequest['topics'] {
  return d.readArray((x) => ({
    name: x.readString(),
    partitions: x.readArray((y) => ({
      partitionIndex: y.readInt32(),
      currentLeaderEpoch: -1,
      timestamp: y.readInt64(),
      maxNumOffsets: 1,
    })),
  }));
}

export function decode(d: Decoder): ListOffsetsRequest {
  const replicaId = d.readInt32();
  return { replicaId, isolationLevel: 0, topics: decodeTopics(d) };
}
