import type { KGroupedTable } from './kgrouped-table';
import type { Grouped } from './grouped';
import type { KeyValueLike, KeyValueMapper, KStream, Predicate, ValueMapper } from './kstream';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { Suppressed } from './suppressed';

/**
 * A changelog stream read as a table: the latest value per key (Kafka Streams' `KTable`). Updates
 * flow downstream as they happen (caching off) or per key on commit/cache eviction (caching on,
 * the default for materialized tables); a `null` value is a delete.
 */
export interface KTable<K, V> {
  /** Keeps the rows for which `predicate` is true; a row that stops passing is deleted downstream. */
  filter(predicate: Predicate<K, V>, named?: Named, materialized?: Materialized<K, V>): KTable<K, V>;
  /** Drops the rows for which `predicate` is true (deleting them downstream). */
  filterNot(predicate: Predicate<K, V>, named?: Named, materialized?: Materialized<K, V>): KTable<K, V>;
  /** Maps each row's value; deletes stay deletes. */
  mapValues<VR>(
    mapper: ValueMapper<K, V, VR>,
    named?: Named,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /**
   * Holds back updates (Kafka Streams' `suppress`): `Suppressed.untilWindowCloses` emits one final
   * result per window of a windowed table; `Suppressed.untilTimeLimit` the latest value per key after
   * a time limit. The buffer has a changelog `<applicationId>-<name>-store-changelog` and survives restarts.
   */
  suppress(suppressed: Suppressed): KTable<K, V>;
  /** The table's update stream: each update as a record, a delete as a `null` value (a tombstone). */
  toStream(named?: Named): KStream<K, V>;
  /**
   * Re-groups the rows by a new key (and value) for `KGroupedTable` aggregations; repartitions
   * through `<applicationId>-<name>-repartition`.
   */
  groupBy<KR, VR>(
    selector: KeyValueMapper<K, V, KeyValueLike<KR, VR>>,
    grouped?: Grouped<KR, VR>,
  ): KGroupedTable<KR, VR>;
  /** The store name to query the table by, or `undefined` when the user did not name one. */
  queryableStoreName(): string | undefined;
}
