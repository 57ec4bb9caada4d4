import type { Windowed } from '../state/window';
import type { Aggregator, Initializer, Merger, Reducer } from './aggregation';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';

/** A grouped stream windowed by `TimeWindows` (Kafka Streams' `TimeWindowedKStream`). */
export interface TimeWindowedKStream<K, V> {
  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number>;
  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V>;
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<Windowed<K>, VA>;
}

/** A grouped stream windowed by `SessionWindows` (Kafka Streams' `SessionWindowedKStream`). */
export interface SessionWindowedKStream<K, V> {
  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number>;
  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V>;
  /** `sessionMerger` combines the aggregates of sessions a record joins. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    sessionMerger: Merger<K, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<Windowed<K>, VA>;
}
