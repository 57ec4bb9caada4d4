/**
 * Metadata Response (Version: 9) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations TAG_BUFFER
 *   throttle_time_ms => INT32
 *   brokers => node_id host port rack TAG_BUFFER
 *     node_id => INT32
 *     host => COMPACT_STRING
 *     port => INT32
 *     rack => COMPACT_NULLABLE_STRING
 *   cluster_id => COMPACT_NULLABLE_STRING
 *   controller_id => INT32
 *   topics => error_code name is_internal [partitions] topic_authorized_operations TAG_BUFFER
 *     error_code => INT16
 *     name => COMPACT_STRING
 *     is_internal => BOOLEAN
 *     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas] TAG_BUFFER
 *       error_code => INT16
 *       partition_index => INT32
 *       leader_id => INT32
 *       leader_epoch => INT32
 *       replica_nodes => INT32
 *       isr_nodes => INT32
 *       offline_replicas => INT32
 *     topic_authorized_operations => INT32
 *   cluster_authorized_operations => INT32
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';

/**
 * The flexible layout, v9-v12: topics gain topic_id (v10+), the name is
 * nullable (v12+), cluster_authorized_operations is gone from v11.
 */
export function encodeFlexible(e: Encoder, r: MetadataResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.brokers, (x, b) => {
    x.writeInt32(b.nodeId).writeCompactString(b.host).writeInt32(b.port).writeCompactNullableString(b.rack);
    x.writeTaggedFields();
  });
  e.writeCompactNullableString(r.clusterId).writeInt32(r.controllerId);
  e.writeCompactArray(r.topics, (x, t) => {
    x.writeInt16(t.errorCode);
    if (version >= 12) x.writeCompactNullableString(t.name);
    else x.writeCompactString(t.name ?? '');
    if (version >= 10) x.writeUuid(t.topicId);
    x.writeBoolean(t.isInternal);
    x.writeCompactArray(t.partitions, (y, p) => {
      y.writeInt16(p.errorCode).writeInt32(p.partitionIndex).writeInt32(p.leaderId).writeInt32(p.leaderEpoch);
      y.writeCompactInt32Array(p.replicaNodes).writeCompactInt32Array(p.isrNodes);
      y.writeCompactInt32Array(p.offlineReplicas).writeTaggedFields();
    });
    x.writeInt32(t.topicAuthorizedOperations).writeTaggedFields();
  });
  if (version <= 10) e.writeInt32(r.clusterAuthorizedOperations);
  e.writeTaggedFields();
}

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeFlexible(e, r, 9);
}
