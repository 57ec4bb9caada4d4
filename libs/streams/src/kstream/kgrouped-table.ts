import type { Aggregator, Initializer, Reducer } from './aggregation';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';

/**
 * A table re-grouped by `KTable.groupBy` (Kafka Streams' `KGroupedTable`): every row update arrives
 * as its old value (subtracted from the old group) and its new value (added to the new group).
 */
export interface KGroupedTable<K, V> {
  /** Counts the rows per group. */
  count(materialized?: Materialized<K, number>, named?: Named): KTable<K, number>;
  /** Combines the rows per group: `adder` for new values, `subtractor` for replaced or deleted ones. */
  reduce(
    adder: Reducer<V>,
    subtractor: Reducer<V>,
    materialized?: Materialized<K, V>,
    named?: Named,
  ): KTable<K, V>;
  /** Folds the rows per group with an adder and a subtractor (e.g. the seed's top-5 by industry). */
  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<K, VA>;
}
