/**
 * CreateTopics Request (Version: 0) => [topics] timeout_ms
 *   topics => name num_partitions replication_factor [assignments] [configs]
 *     name => STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     assignments => partition_index [broker_ids]
 *       partition_index => INT32
 *       broker_ids => INT32
 *     configs => name value
 *       name => STRING
 *       value => NULLABLE_STRING
 *   timeout_ms => INT32
 */
import type { Decoder } from '../../../decoder';
import type { CreateTopicsRequest } from '../types';

export function decodeTopics(d: Decoder): Omit<CreateTopicsRequest, 'validateOnly'> {
  const topics = d.readArray((x) => ({
    name: x.readString(),
    numPartitions: x.readInt32(),
    replicationFactor: x.readInt16(),
    assignments: x.readArray((y) => ({ partitionIndex: y.readInt32(), brokerIds: y.readInt32Array() })),
    configs: x.readArray((y) => ({ name: y.readString(), value: y.readNullableString() })),
  }));
  return { topics, timeoutMs: d.readInt32() };
}

export function decode(d: Decoder): CreateTopicsRequest {
  return { ...decodeTopics(d), validateOnly: false };
}
