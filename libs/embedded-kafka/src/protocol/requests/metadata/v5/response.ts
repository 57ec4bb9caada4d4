/**
 * Metadata Response (Version: 5) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   throttle_time_ms => INT32
 *   brokers => node_id host port rack
 *     node_id => INT32
 *     host => STRING
 *     port => INT32
 *     rack => NULLABLE_STRING
 *   cluster_id => NULLABLE_STRING
 *   controller_id => INT32
 *   topics => error_code name is_internal [partitions]
 *     error_code => INT16
 *     name => STRING
 *     is_internal => BOOLEAN
 *     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes] [offline_replicas]
 *       error_code => INT16
 *       partition_index => INT32
 *       leader_id => INT32
 *       replica_nodes => INT32
 *       isr_nodes => INT32
 *       offline_replicas => INT32
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encodeBrokers } from '../v1/response';

/** The v5-v8 layout: `leaderEpoch` from v7, authorized operations from v8. */
export function encodeV5To8(e: Encoder, r: MetadataResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs);
  encodeBrokers(e, r);
  e.writeNullableString(r.clusterId).writeInt32(r.controllerId);
  e.writeArray(r.topics, (x, t) => {
    x.writeInt16(t.errorCode)
      .writeString(t.name ?? '')
      .writeBoolean(t.isInternal);
    x.writeArray(t.partitions, (y, p) => {
      y.writeInt16(p.errorCode).writeInt32(p.partitionIndex).writeInt32(p.leaderId);
      if (version >= 7) y.writeInt32(p.leaderEpoch);
      y.writeInt32Array(p.replicaNodes).writeInt32Array(p.isrNodes).writeInt32Array(p.offlineReplicas);
    });
    if (version >= 8) x.writeInt32(t.topicAuthorizedOperations);
  });
  if (version >= 8) e.writeInt32(r.clusterAuthorizedOperations);
}

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeV5To8(e, r, 5);
}
