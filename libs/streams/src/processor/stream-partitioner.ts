/**
 * Chooses the partition of an outgoing record (Kafka Streams' `StreamPartitioner`).
 * Return `undefined` to use the default (murmur2 of the serialized key, as Java's client does).
 */
export interface StreamPartitioner<K, V> {
  partition(topic: string, key: K, value: V, numPartitions: number): number | undefined;
}
