import type { StreamPartitioner } from '@gmart/streams';
import { splitSummaryKey } from './transaction-count';

/** FNV-1a (32 bit) of a string's UTF-16 code units: stable across processes and versions. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The partition of a customer's counts among `numPartitions`. */
export function customerPartition(customerId: string, numPartitions: number): number {
  return fnv1a(customerId) % numPartitions;
}

/**
 * Partitions `customerId|symbol` keys by their customer id alone: every count of a customer is in
 * one partition, so one instance answers a customer's query. The same partitioner locates the
 * customer for routed queries (`queryMetadataForKey(store, key, serializer, partitioner)`).
 */
export function customerPartitioner<V>(): StreamPartitioner<string, V> {
  return {
    partition: (_topic, key, _value, numPartitions) =>
      customerPartition(splitSummaryKey(key).customerId, numPartitions),
  };
}
