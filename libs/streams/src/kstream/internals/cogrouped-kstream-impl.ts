import type { ProcessorSupplier } from '../../processor/processor';
import type { Serde } from '../../serialization/serde';
import type { StoreBuilder } from '../../processor/store-builder';
import type { StateStore } from '../../processor/state-store';
import type { Windowed } from '../../state/window';
import { Aggregator, Initializer } from '../aggregation';
import {
  CogroupedKStream,
  SessionWindowedCogroupedKStream,
  TimeWindowedCogroupedKStream,
} from '../cogrouped-kstream';
import { KGroupedStream } from '../kgrouped-stream';
import { KTable } from '../ktable';
import { Materialized } from '../materialized';
import { Named } from '../named';
import { SlidingWindows } from '../sliding-windows';
import { SessionWindows, TimeWindows } from '../time-windows';
import { WindowedSerdes } from '../windowed-serdes';
import type { DeferredSerde } from './deferred-serde';
import type { KGroupedStreamImpl } from './kgrouped-stream-impl';
import { KStreamAggregate } from './kstream-aggregate';
import { KStreamSessionWindowAggregate } from './kstream-session-window-aggregate';
import { KTableImpl } from './ktable-impl';
import { KTablePassThrough } from './ktable-pass-through';
import { KTableParent } from './ktable-processor-supplier';
import { MaterializedInternal } from './materialized-internal';
import { sessionStore, timeWindowAggregate, timeWindowStore, windowSizeOf } from './windowed-kstream-impl';

/** Kafka Streams' `CogroupedKStreamImpl` name prefixes. */
export const COGROUP_NAMES = {
  AGGREGATE: 'COGROUPKSTREAM-AGGREGATE-',
  MERGE: 'COGROUPKSTREAM-MERGE-',
} as const;

/** What a cogroup reads of each grouped stream: nothing of its value type, so streams of any value type fit. */
type AnyGrouped<K> = Pick<KGroupedStreamImpl<K, unknown>, 'builder' | 'keySerde' | 'aggregationParent'>;
type AnyAggregator<K, VOut> = Aggregator<K, unknown, VOut>;
type Serdes<K, VOut> = { key: DeferredSerde<K>; value: DeferredSerde<VOut> };
type AggregateSupplier<K, KOut, VOut> = ProcessorSupplier<K, unknown, KOut, unknown> &
  KTableParent<KOut, VOut>;

/**
 * Kafka Streams' `CogroupedKStreamImpl` with its `CogroupedStreamAggregateBuilder`: the store name is
 * resolved first, then each grouped stream gets its repartition topic if its key was changed
 * (`<Grouped name or store name>-repartition`), then one aggregate processor per stream
 * (`COGROUPKSTREAM-AGGREGATE-<n>`, or `<Named>-cogroup-agg-<i>`), all connected to the one store, then
 * the merge node (`COGROUPKSTREAM-MERGE-<n>`, or `<Named>-cogroup-merge`) that the table reads.
 */
export class CogroupedKStreamImpl<K, VOut> implements CogroupedKStream<K, VOut> {
  private readonly groupPatterns = new Map<AnyGrouped<K>, AnyAggregator<K, VOut>>();

  constructor(first: AnyGrouped<K>, aggregator: AnyAggregator<K, VOut>) {
    this.add(first, aggregator);
  }

  private add(grouped: unknown, aggregator: unknown): void {
    if (!grouped || typeof (grouped as AnyGrouped<K>).aggregationParent !== 'function')
      throw new Error('cogroup: groupedStream must be a KGroupedStream of this builder');
    if (typeof aggregator !== 'function') throw new Error('cogroup: aggregator must be a function');
    const g = grouped as AnyGrouped<K>;
    const first = this.groupPatterns.keys().next().value;
    if (first && first.builder !== g.builder)
      throw new Error('cogroup: every grouped stream must come from the same StreamsBuilder');
    this.groupPatterns.set(g, aggregator as AnyAggregator<K, VOut>);
  }

  cogroup<VIn>(
    groupedStream: KGroupedStream<K, VIn>,
    aggregator: Aggregator<K, VIn, VOut>,
  ): CogroupedKStream<K, VOut> {
    this.add(groupedStream, aggregator);
    return this;
  }

  aggregate(
    initializer: Initializer<VOut>,
    materialized?: Materialized<K, VOut>,
    named?: Named,
  ): KTable<K, VOut> {
    requireInitializer(initializer);
    return this.build<K>(materialized, named, undefined, (mi, serdes) => ({
      store: mi.keyValueStoreBuilder(serdes.key, serdes.value),
      processor: (aggregator) =>
        KStreamAggregate.aggregate<K, unknown, VOut>(mi.storeName, initializer, aggregator, serdes),
      keySerde: () => mi.keySerde,
    }));
  }

  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedCogroupedKStream<K, VOut>;
  windowedBy(windows: SessionWindows): SessionWindowedCogroupedKStream<K, VOut>;
  windowedBy(
    windows: TimeWindows | SlidingWindows | SessionWindows,
  ): TimeWindowedCogroupedKStream<K, VOut> | SessionWindowedCogroupedKStream<K, VOut> {
    if (windows instanceof TimeWindows || windows instanceof SlidingWindows) {
      const timeWindowed: TimeWindowedCogroupedKStream<K, VOut> = {
        aggregate: (initializer, materialized, named) => {
          requireInitializer(initializer);
          return this.build<Windowed<K>>(materialized, named, windows.gracePeriodMs(), (mi, serdes) => ({
            store: timeWindowStore<K, VOut>(mi, serdes, windows),
            processor: (aggregator) =>
              timeWindowAggregate<K, unknown, VOut>(
                mi.storeName,
                windows,
                initializer,
                (k, v, agg) => aggregator(k, v, agg as VOut),
                serdes,
              ),
            keySerde: () => WindowedSerdes.timeWindowedSerdeFrom(serdes.key, windowSizeOf(windows)),
          }));
        },
      };
      return timeWindowed;
    }
    if (windows instanceof SessionWindows) {
      const sessionWindowed: SessionWindowedCogroupedKStream<K, VOut> = {
        aggregate: (initializer, sessionMerger, materialized, named) => {
          requireInitializer(initializer);
          if (typeof sessionMerger !== 'function')
            throw new Error('aggregate: sessionMerger must be a function');
          return this.build<Windowed<K>>(
            materialized,
            named,
            windows.gracePeriodMs() + windows.inactivityGapMs,
            (mi, serdes) => ({
              store: sessionStore<K, VOut>(mi, serdes, windows),
              processor: (aggregator) =>
                new KStreamSessionWindowAggregate<K, unknown, VOut>(
                  mi.storeName,
                  windows,
                  initializer,
                  (k, v, agg) => aggregator(k, v, agg as VOut),
                  (k, a, b) => sessionMerger(k, a as VOut, b as VOut),
                  serdes,
                ),
              keySerde: () => WindowedSerdes.sessionWindowedSerdeFrom(serdes.key),
            }),
          );
        },
      };
      return sessionWindowed;
    }
    throw new Error('windowedBy: expected TimeWindows, SlidingWindows or SessionWindows');
  }

  private build<KOut>(
    materialized: Materialized<K, VOut> | undefined,
    named: Named | undefined,
    windowCloseDelayMs: number | undefined,
    parts: (
      mi: MaterializedInternal<K, VOut>,
      serdes: Serdes<K, VOut>,
    ) => {
      store: StoreBuilder<StateStore>;
      processor: (aggregator: AnyAggregator<K, VOut>) => AggregateSupplier<K, KOut, VOut>;
      keySerde: () => Serde<KOut> | undefined;
    },
  ): KTable<KOut, VOut> {
    const groups = [...this.groupPatterns];
    const b = groups[0]![0].builder;
    const mi = new MaterializedInternal(materialized, b, COGROUP_NAMES.AGGREGATE).withDefaults(
      groups[0]![0].keySerde,
      undefined,
    );
    const serdes = mi.deferredSerdes();
    const { store, processor, keySerde } = parts(mi, serdes);
    // repartition topics first, in the order the streams were cogrouped
    const parentsOf = groups.map(([grouped]) => grouped.aggregationParent(mi.storeName));
    const aggregates: Array<AggregateSupplier<K, KOut, VOut>> = [];
    const aggregateNames: string[] = [];
    groups.forEach(([, aggregator], i) => {
      const name = suffixWithOrElseGet(b, named, `-cogroup-agg-${i}`, COGROUP_NAMES.AGGREGATE);
      const supplier = processor(aggregator);
      b.addProcessor(name, supplier, parentsOf[i]!);
      if (i === 0) b.addStateStore(store, name);
      else b.connectProcessorAndStateStores(name, mi.storeName);
      aggregates.push(supplier);
      aggregateNames.push(name);
    });
    const mergeName = suffixWithOrElseGet(b, named, '-cogroup-merge', COGROUP_NAMES.MERGE);
    const passThrough = new KTablePassThrough<KOut, VOut>(aggregates);
    b.addProcessor(mergeName, passThrough, ...aggregateNames);
    return new KTableImpl<KOut, VOut>(
      b,
      mergeName,
      keySerde(),
      serdes.value,
      passThrough,
      mi.queryableStoreName,
      windowCloseDelayMs,
    );
  }
}

function requireInitializer(initializer: unknown): void {
  if (typeof initializer !== 'function') throw new Error('aggregate: initializer must be a function');
}

/** Kafka Streams' `NamedInternal.suffixWithOrElseGet`: `<name><suffix>`, still burning an index as a generated name would. */
function suffixWithOrElseGet(
  builder: KGroupedStreamImpl<unknown, unknown>['builder'],
  named: Named | undefined,
  suffix: string,
  prefix: string,
): string {
  const generated = builder.newName(prefix);
  return named ? `${named.name}${suffix}` : generated;
}
