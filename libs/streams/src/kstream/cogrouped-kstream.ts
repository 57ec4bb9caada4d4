import type { Windowed } from '../state/window';
import type { Aggregator, Initializer, Merger } from './aggregation';
import type { KGroupedStream } from './kgrouped-stream';
import type { KTable } from './ktable';
import type { Materialized } from './materialized';
import type { Named } from './named';
import type { SlidingWindows } from './sliding-windows';
import type { SessionWindows, TimeWindows } from './time-windows';

/**
 * Several grouped streams aggregated into one table (Kafka Streams' `CogroupedKStream`, KIP-150):
 * each stream folds its records into the shared aggregate with its own aggregator; one store, one
 * changelog, one output. The streams must be co-partitioned (same key, same partition count).
 *
 * ```ts
 * clicks.groupByKey().cogroup((k, click, agg) => ({ ...agg, clicks: agg.clicks + 1 }))
 *   .cogroup(buys.groupByKey(), (k, buy, agg) => ({ ...agg, spent: agg.spent + buy.amount }))
 *   .aggregate(() => ({ clicks: 0, spent: 0 }), Materialized.as('customer-activity'));
 * ```
 */
export interface CogroupedKStream<K, VOut> {
  /** Adds another grouped stream with the aggregator that folds its values into the shared aggregate. */
  cogroup<VIn>(
    groupedStream: KGroupedStream<K, VIn>,
    aggregator: Aggregator<K, VIn, VOut>,
  ): CogroupedKStream<K, VOut>;
  /** Aggregates every cogrouped stream per key, starting from `initializer()`. */
  aggregate(
    initializer: Initializer<VOut>,
    materialized?: Materialized<K, VOut>,
    named?: Named,
  ): KTable<K, VOut>;
  /** Aggregates per key and time window (tumbling, hopping or sliding). */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedCogroupedKStream<K, VOut>;
  /** Aggregates per key and session. */
  windowedBy(windows: SessionWindows): SessionWindowedCogroupedKStream<K, VOut>;
}

/** A cogrouped stream windowed by `TimeWindows` or `SlidingWindows` (Kafka Streams' `TimeWindowedCogroupedKStream`). */
export interface TimeWindowedCogroupedKStream<K, VOut> {
  aggregate(
    initializer: Initializer<VOut>,
    materialized?: Materialized<K, VOut>,
    named?: Named,
  ): KTable<Windowed<K>, VOut>;
}

/** A cogrouped stream windowed by `SessionWindows` (Kafka Streams' `SessionWindowedCogroupedKStream`). */
export interface SessionWindowedCogroupedKStream<K, VOut> {
  aggregate(
    initializer: Initializer<VOut>,
    sessionMerger: Merger<K, VOut>,
    materialized?: Materialized<K, VOut>,
    named?: Named,
  ): KTable<Windowed<K>, VOut>;
}
