/**
 * ListOffsets Request (Version: 6) => replica_id isolation_level [topics] TAG_BUFFER
 *   replica_id => INT32
 *   isolation_level => INT8
 *   topics => name [partitions] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partitions => partition_index current_leader_epoch timestamp TAG_BUFFER
 *       partition_index => INT32
 *       current_leader_epoch => INT32
 *       timestamp => INT64
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { ListOffsetsRequest } from '../types';

export function decode(d: Decoder): ListOffsetsRequest {
  const replicaId = d.readInt32();
  const isolationLevel = d.readInt8();
  const topics = d.readCompactArray((x) => {
    const name = x.readCompactString();
    const partitions = x.readCompactArray((y) => {
      const p = {
        partitionIndex: y.readInt32(),
        currentLeaderEpoch: y.readInt32(),
        timestamp: y.readInt64(),
        maxNumOffsets: 1,
      };
      y.readTaggedFields();
      return p;
    });
    x.readTaggedFields();
    return { name, partitions };
  });
  d.readTaggedFields();
  return { replicaId, isolationLevel, topics };
}
