/**
 * Metadata Response (Version: 0) => [brokers] [topics]
 *   brokers => node_id host port
 *     node_id => INT32
 *     host => STRING
 *     port => INT32
 *   topics => error_code name [partitions]
 *     error_code => INT16
 *     name => STRING
 *     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *       error_code => INT16
 *       partition_index => INT32
 *       leader_id => INT32
 *       replica_nodes => INT32
 *       isr_nodes => INT32
 */
import type { Encoder } from '../../../encoder';
import type { MetadataPartition, MetadataResponse } from '../types';

export function encodePartition(e: Encoder, p: MetadataPartition): void {
  e.writeInt16(p.errorCode).writeInt32(p.partitionIndex).writeInt32(p.leaderId);
  e.writeInt32Array(p.replicaNodes).writeInt32Array(p.isrNodes);
}

export function encode(e: Encoder, r: MetadataResponse): void {
  e.writeArray(r.brokers, (x, b) => x.writeInt32(b.nodeId).writeString(b.host).writeInt32(b.port));
  e.writeArray(r.topics, (x, t) => {
    x.writeInt16(t.errorCode).writeString(t.name ?? '');
    x.writeArray(t.partitions, encodePartition);
  });
}
