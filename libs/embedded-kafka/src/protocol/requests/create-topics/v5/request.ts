/**
 * CreateTopics Request (Version: 5) => [topics] timeout_ms validate_only TAG_BUFFER
 *   topics => name num_partitions replication_factor [assignments] [configs] TAG_BUFFER
 *     name => COMPACT_STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     assignments => partition_index [broker_ids] TAG_BUFFER
 *       partition_index => INT32
 *       broker_ids => INT32
 *     configs => name value TAG_BUFFER
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { CreateTopicsRequest } from '../types';

export function decode(d: Decoder): CreateTopicsRequest {
  const topics = d.readCompactArray((x) => {
    const name = x.readCompactString();
    const numPartitions = x.readInt32();
    const replicationFactor = x.readInt16();
    const assignments = x.readCompactArray((y) => {
      const a = { partitionIndex: y.readInt32(), brokerIds: y.readCompactInt32Array() };
      y.readTaggedFields();
      return a;
    });
    const configs = x.readCompactArray((y) => {
      const c = { name: y.readCompactString(), value: y.readCompactNullableString() };
      y.readTaggedFields();
      return c;
    });
    x.readTaggedFields();
    return { name, numPartitions, replicationFactor, assignments, configs };
  });
  const timeoutMs = d.readInt32();
  const validateOnly = d.readBoolean();
  d.readTaggedFields();
  return { topics, timeoutMs, validateOnly };
}
