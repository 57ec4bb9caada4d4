/**
 * ListOffsets Request (Version: 2) => replica_id isolation_level [topics]
 *   replica_id => INT32
 *   isolation_level => INT8
 *   topics => name [partitions]       (as v1)
 */
import type { Decoder } from '../../../decoder';
import type { ListOffsetsRequest } from '../types';
import { decodeTopics } from '../v1/request';

export function decode(d: Decoder): ListOffsetsRequest {
  const replicaId = d.readInt32();
  const isolationLevel = d.readInt8();
  return { replicaId, isolationLevel, topics: decodeTopics(d) };
}
