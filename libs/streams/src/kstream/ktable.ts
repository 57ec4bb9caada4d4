import type { KGroupedTable } from './kgrouped-table';
import type { Grouped } from './grouped';
import type { KeyValueLike, KeyValueMapper, KStream, Predicate, ValueMapper } from './kstream';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { Suppressed } from './suppressed';
import type { TableJoined } from './table-joined';
import type { ValueJoiner } from './value-joiner';

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
  /**
   * Inner table-table join on the key (Kafka Streams' `KTable.join`): the result has a row for a key
   * while both tables do, `joiner(value, otherValue)`, updated whenever either side changes and
   * deleted (a tombstone downstream) when either side deletes it. Both tables must be co-partitioned.
   * `Named` names the nodes; `Materialized` keeps the result in a store.
   */
  join<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /**
   * Foreign-key join (Kafka Streams' KIP-213): each row of this table joins the row of `other`
   * whose key is `foreignKeyExtractor(value)`; `other` need not be co-partitioned. Goes through the
   * internal topics `<applicationId>-<name>-subscription-registration-topic` and
   * `...-subscription-response-topic` (`KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic`, ...).
   */
  join<VR, KO, VO>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO,
    joiner: ValueJoiner<V, VO, VR>,
    tableJoinedOrMaterialized?: TableJoined<K, KO> | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /** Left table-table join: a row for every key of this table, `joiner(value, otherValue | null)`. */
  leftJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V, VO | null, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /** Left foreign-key join: every row of this table, joined with `null` when the foreign row is absent. */
  leftJoin<VR, KO, VO>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO | null,
    joiner: ValueJoiner<V, VO | null, VR>,
    tableJoinedOrMaterialized?: TableJoined<K, KO> | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /** Outer table-table join: a row for every key of either table, the absent side `null`. */
  outerJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V | null, VO | null, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  /** The store name to query the table by, or `undefined` when the user did not name one. */
  queryableStoreName(): string | undefined;
}
