import type { Aggregator, Initializer, Reducer } from './aggregation';
import type { CogroupedKStream } from './cogrouped-kstream';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { SlidingWindows } from './sliding-windows';
import type { SessionWindows, TimeWindows } from './time-windows';
import type { SessionWindowedKStream, TimeWindowedKStream } from './windowed-kstream';

/** A stream grouped by key, ready for aggregation (Kafka Streams' `KGroupedStream`). */
export interface KGroupedStream<K, V> {
  /** Counts the records per key (null keys and values skipped). */
  count(materialized?: Materialized<K, number>, named?: Named): KTable<K, number>;
  /** Combines the values per key; the first value of a key is its first aggregate. */
  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<K, V>;
  /** Folds the values per key into an aggregate started by `initializer`. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<K, VA>;
  /** Aggregates per key and time window (tumbling or hopping, or sliding, with grace). */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  /**
   * Starts a cogrouped aggregation (Kafka Streams' `cogroup`, KIP-150): this stream's values fold
   * into a shared aggregate with `aggregator`; add other grouped streams with `CogroupedKStream.cogroup`.
   */
  cogroup<VOut>(aggregator: Aggregator<K, V, VOut>): CogroupedKStream<K, VOut>;
  /** Aggregates per key and session (records closer than the inactivity gap). */
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
}
