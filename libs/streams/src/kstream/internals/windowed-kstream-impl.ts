import { Serde } from '../../serialization/serde';
import type { SessionBytesStoreSupplier, WindowBytesStoreSupplier } from '../../state/store-supplier';
import { Stores } from '../../state/stores';
import type { StoreBuilder } from '../../processor/store-builder';
import type { StateStore } from '../../processor/state-store';
import { TimestampedWindowStoreBuilder } from '../../state/internals/timestamped-window-store';
import { ValueAndTimestampSerde } from '../../state/value-and-timestamp';
import type { Windowed } from '../../state/window';
import { Aggregator, Initializer, Merger, Reducer } from '../aggregation';
import { KTable } from '../ktable';
import { Materialized } from '../materialized';
import { Named } from '../named';
import { SlidingWindows } from '../sliding-windows';
import { SessionWindows, TimeWindows } from '../time-windows';
import { SessionWindowedKStream, TimeWindowedKStream } from '../windowed-kstream';
import { WindowedSerdes } from '../windowed-serdes';
import { DeferredSerde } from './deferred-serde';
import { KGroupedStreamImpl, KSTREAM_AGGREGATE_NAMES } from './kgrouped-stream-impl';
import { KStreamSessionWindowAggregate } from './kstream-session-window-aggregate';
import { KStreamSlidingWindowAggregate } from './kstream-sliding-window-aggregate';
import { KStreamWindowAggregate } from './kstream-window-aggregate';
import { KTableImpl } from './ktable-impl';
import { LONG_AS_NUMBER } from './long-serde';
import { MaterializedInternal } from './materialized-internal';

function checkLogging<K, V>(
  mi: MaterializedInternal<K, V>,
  b: {
    withLoggingEnabled(c: Record<string, string>): unknown;
    withLoggingDisabled(): unknown;
    withCachingEnabled(): unknown;
    withCachingDisabled(): unknown;
  },
): void {
  if (mi.fields.loggingEnabled) b.withLoggingEnabled({ ...mi.fields.logConfig });
  else b.withLoggingDisabled();
  if (mi.fields.cachingEnabled) b.withCachingEnabled();
  else b.withCachingDisabled();
}

/** The store's retention: the user's, at least window size (or gap) plus grace, as Kafka Streams checks. */
function retention(mi: MaterializedInternal<unknown, unknown>, minimum: number, what: string): number {
  const r = mi.fields.retentionMs ?? minimum;
  if (r < minimum)
    throw new Error(
      `Materialized store "${mi.storeName}": retention (${r} ms) must be at least the ${what} plus the grace period (${minimum} ms)`,
    );
  return r;
}

/** The window size of a time or sliding window (a sliding window `[start, start + d]` is stored and keyed as a time window of size `d`). */
export function windowSizeOf(w: TimeWindows | SlidingWindows): number {
  return w instanceof SlidingWindows ? w.timeDifferenceMs : w.sizeMs;
}

/** The timestamped window store of a time or sliding window aggregation (Kafka Streams' window store materializers). */
export function timeWindowStore<K, VA>(
  mi: MaterializedInternal<K, VA>,
  serdes: { key: DeferredSerde<K>; value: DeferredSerde<VA> },
  w: TimeWindows | SlidingWindows,
): TimestampedWindowStoreBuilder<K, VA> {
  const sliding = w instanceof SlidingWindows;
  const windowSizeMs = windowSizeOf(w);
  const retentionMs = sliding
    ? retention(
        mi as MaterializedInternal<unknown, unknown>,
        2 * w.timeDifferenceMs + w.gracePeriodMs(),
        'twice the time difference',
      )
    : retention(mi as MaterializedInternal<unknown, unknown>, w.sizeMs + w.gracePeriodMs(), 'window size');
  const supplier = mi.fields.storeSupplier as WindowBytesStoreSupplier | undefined;
  if (supplier && !('windowSizeMs' in supplier))
    throw new Error(
      `Materialized store "${mi.storeName}": a window store supplier is needed for a windowed aggregation`,
    );
  const inner = Stores.windowStoreBuilder(
    supplier ?? Stores.persistentWindowStore(mi.storeName, retentionMs, windowSizeMs, false),
    serdes.key,
    new ValueAndTimestampSerde(serdes.value),
  );
  checkLogging(mi, inner);
  return new TimestampedWindowStoreBuilder<K, VA>(inner);
}

/** The aggregate processor of a time (`KStreamWindowAggregate`) or sliding (`KStreamSlidingWindowAggregate`) window. */
export function timeWindowAggregate<K, V, VA>(
  storeName: string,
  w: TimeWindows | SlidingWindows,
  initializer: Initializer<VA> | null,
  aggregator: (key: K, value: V, agg: VA | null) => VA,
  serdes: { key: DeferredSerde<K>; value: DeferredSerde<VA> },
): KStreamWindowAggregate<K, V, VA> | KStreamSlidingWindowAggregate<K, V, VA> {
  return w instanceof SlidingWindows
    ? new KStreamSlidingWindowAggregate<K, V, VA>(
        storeName,
        w,
        initializer ?? (() => null),
        aggregator,
        serdes,
      )
    : new KStreamWindowAggregate<K, V, VA>(storeName, w, initializer, aggregator, serdes);
}

/** The session store of a session window aggregation. */
export function sessionStore<K, VA>(
  mi: MaterializedInternal<K, VA>,
  serdes: { key: DeferredSerde<K>; value: DeferredSerde<VA> },
  w: SessionWindows,
): StoreBuilder<StateStore> {
  const retentionMs = retention(
    mi as MaterializedInternal<unknown, unknown>,
    w.inactivityGapMs + w.gracePeriodMs(),
    'inactivity gap',
  );
  const supplier = mi.fields.storeSupplier as SessionBytesStoreSupplier | undefined;
  if (supplier && ('windowSizeMs' in supplier || !('retentionMs' in supplier)))
    throw new Error(
      `Materialized store "${mi.storeName}": a session store supplier is needed for a session aggregation`,
    );
  const store = Stores.sessionStoreBuilder(
    supplier ?? Stores.persistentSessionStore(mi.storeName, retentionMs),
    serdes.key,
    serdes.value,
  );
  checkLogging(mi, store);
  return store;
}

/**
 * Kafka Streams' `TimeWindowedKStreamImpl` (over `TimeWindows`) and `SlidingWindowedKStreamImpl`
 * (over `SlidingWindows`): both aggregate into a timestamped window store and give a table keyed by
 * `Windowed<K>` whose windows are `windowSizeMs` long.
 */
export class TimeWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStreamImpl<K, V>,
    private readonly windows: TimeWindows | SlidingWindows,
  ) {}

  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number> {
    return this.build<number>(
      KSTREAM_AGGREGATE_NAMES.AGGREGATE,
      materialized,
      named,
      LONG_AS_NUMBER,
      () => 0,
      (_k, _v, n) => (n as number) + 1,
    );
  }

  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V> {
    if (typeof reducer !== 'function') throw new Error('reduce: reducer must be a function');
    return this.build<V>(
      KSTREAM_AGGREGATE_NAMES.REDUCE,
      materialized,
      named,
      this.grouped.valueSerde,
      null,
      (_k, v, agg) => (agg === null ? v : reducer(agg, v)),
    );
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<Windowed<K>, VA> {
    if (typeof initializer !== 'function' || typeof aggregator !== 'function')
      throw new Error('aggregate: initializer and aggregator must be functions');
    return this.build<VA>(
      KSTREAM_AGGREGATE_NAMES.AGGREGATE,
      materialized,
      named,
      undefined,
      initializer,
      (k, v, agg) => aggregator(k, v, agg as VA),
    );
  }

  private build<VA>(
    prefix: string,
    materialized: Materialized<K, VA> | undefined,
    named: Named | undefined,
    defaultValueSerde: Serde<VA> | undefined,
    initializer: Initializer<VA> | null,
    aggregator: (key: K, value: V, agg: VA | null) => VA,
  ): KTable<Windowed<K>, VA> {
    const b = this.grouped.builder;
    const mi = new MaterializedInternal(materialized, b, prefix).withDefaults(
      this.grouped.keySerde,
      defaultValueSerde,
    );
    const name = named?.name ?? b.newName(prefix);
    const serdes = mi.deferredSerdes();
    const w = this.windows;
    const store = timeWindowStore<K, VA>(mi, serdes, w);
    const aggregate = timeWindowAggregate<K, V, VA>(mi.storeName, w, initializer, aggregator, serdes);
    const parent = this.grouped.aggregationParent(mi.storeName);
    b.addProcessor(name, aggregate, parent);
    b.addStateStore(store, name);
    const keySerde = WindowedSerdes.timeWindowedSerdeFrom(serdes.key, windowSizeOf(w));
    return new KTableImpl<Windowed<K>, VA>(
      b,
      name,
      keySerde,
      serdes.value,
      aggregate,
      mi.queryableStoreName,
      w.gracePeriodMs(),
    );
  }
}

/** Kafka Streams' `SessionWindowedKStreamImpl`. */
export class SessionWindowedKStreamImpl<K, V> implements SessionWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStreamImpl<K, V>,
    private readonly windows: SessionWindows,
  ) {}

  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number> {
    return this.build<number>(
      KSTREAM_AGGREGATE_NAMES.AGGREGATE,
      materialized,
      named,
      LONG_AS_NUMBER,
      () => 0,
      (_k, _v, n) => (n as number) + 1,
      (_k, a, b) => (a as number) + (b as number),
    );
  }

  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V> {
    if (typeof reducer !== 'function') throw new Error('reduce: reducer must be a function');
    const add = (_k: K, v: V, agg: V | null): V => (agg === null ? v : reducer(agg, v));
    return this.build<V>(
      KSTREAM_AGGREGATE_NAMES.REDUCE,
      materialized,
      named,
      this.grouped.valueSerde,
      () => null,
      add,
      (k, a, b) => (b === null ? a : add(k, b, a)),
    );
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    sessionMerger: Merger<K, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<Windowed<K>, VA> {
    if (
      typeof initializer !== 'function' ||
      typeof aggregator !== 'function' ||
      typeof sessionMerger !== 'function'
    )
      throw new Error('aggregate: initializer, aggregator and sessionMerger must be functions');
    return this.build<VA>(
      KSTREAM_AGGREGATE_NAMES.AGGREGATE,
      materialized,
      named,
      undefined,
      initializer,
      (k, v, agg) => aggregator(k, v, agg as VA),
      (k, a, b) => sessionMerger(k, a as VA, b as VA),
    );
  }

  private build<VA>(
    prefix: string,
    materialized: Materialized<K, VA> | undefined,
    named: Named | undefined,
    defaultValueSerde: Serde<VA> | undefined,
    initializer: () => VA | null,
    aggregator: (key: K, value: V, agg: VA | null) => VA | null,
    merger: (key: K, a: VA | null, b: VA | null) => VA | null,
  ): KTable<Windowed<K>, VA> {
    const b = this.grouped.builder;
    const mi = new MaterializedInternal(materialized, b, prefix).withDefaults(
      this.grouped.keySerde,
      defaultValueSerde,
    );
    const name = named?.name ?? b.newName(prefix);
    const serdes = mi.deferredSerdes();
    const w = this.windows;
    const store = sessionStore<K, VA>(mi, serdes, w);
    const aggregate = new KStreamSessionWindowAggregate<K, V, VA>(
      mi.storeName,
      w,
      initializer,
      aggregator,
      merger,
      serdes,
    );
    const parent = this.grouped.aggregationParent(mi.storeName);
    b.addProcessor(name, aggregate, parent);
    b.addStateStore(store, name);
    const keySerde = WindowedSerdes.sessionWindowedSerdeFrom(serdes.key);
    return new KTableImpl<Windowed<K>, VA>(
      b,
      name,
      keySerde,
      serdes.value,
      aggregate,
      mi.queryableStoreName,
      w.gracePeriodMs() + w.inactivityGapMs,
    );
  }
}
