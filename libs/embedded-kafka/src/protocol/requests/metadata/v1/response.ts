/**
 * Metadata Response (Version: 1) => [brokers] controller_id [topics]
 *   brokers => node_id host port rack
 *     node_id => INT32
 *     host => STRING
 *     port => INT32
 *     rack => NULLABLE_STRING
 *   controller_id => INT32
 *   topics => error_code name is_internal [partitions]
 *     error_code => INT16
 *     name => STRING
 *     is_internal => BOOLEAN
 *     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *       (as v0)
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encodePartition } from '../v0/response';

export function encodeBrokers(e: Encoder, r: MetadataResponse): void {
  e.writeArray(r.brokers, (x, b) =>
    x.writeInt32(b.nodeId).writeString(b.host).writeInt32(b.port).writeNullableString(b.rack),
  );
}

export function encodeTopics(e: Encoder, r: MetadataResponse): void {
  e.writeArray(r.topics, (x, t) => {
    x.writeInt16(t.errorCode)
      .writeString(t.name ?? '')
      .writeBoolean(t.isInternal);
    x.writeArray(t.partitions, encodePartition);
  });
}

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeBrokers(e, r);
  e.writeInt32(r.controllerId);
  encodeTopics(e, r);
}
