/**
 * A table fully replicated on every instance (Kafka Streams' `GlobalKTable`): each instance reads
 * every partition of the table's topic into a local store, before its stream threads start and
 * then continuously, so any key can be looked up (and queried) locally. Created by
 * `StreamsBuilder.globalTable`; used as the right side of `KStream.join/leftJoin(globalTable,
 * keySelector, joiner)`, which needs no repartitioning and no co-partitioning. Records of the topic
 * with a null key are dropped; a null value deletes the key.
 */
export interface GlobalKTable<K, V> {
  /**
   * The name of the store to query this table with (`KafkaStreams.store`), or `null` when it was
   * not named with `Materialized.as` (Kafka Streams' `queryableStoreName()`).
   */
  queryableStoreName(): string | null;
  /** @internal Type marker of the value (never set). */
  readonly __globalTableTypes?: [K, V];
}
