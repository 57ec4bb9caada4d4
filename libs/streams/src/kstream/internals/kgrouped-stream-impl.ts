import { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import { Serde } from '../../serialization/serde';
import { Aggregator, Initializer, Reducer } from '../aggregation';
import { CogroupedKStream } from '../cogrouped-kstream';
import { KGroupedStream } from '../kgrouped-stream';
import { CogroupedKStreamImpl } from './cogrouped-kstream-impl';
import { KTable } from '../ktable';
import { Materialized } from '../materialized';
import { Named } from '../named';
import { KStreamAggregate } from './kstream-aggregate';
import { KTableImpl } from './ktable-impl';
import { LONG_AS_NUMBER } from './long-serde';
import { MaterializedInternal } from './materialized-internal';
import { createRepartitionedSource } from './repartition';
import { SlidingWindows } from '../sliding-windows';
import { SessionWindows, TimeWindows } from '../time-windows';
import { SessionWindowedKStream, TimeWindowedKStream } from '../windowed-kstream';
import { SessionWindowedKStreamImpl, TimeWindowedKStreamImpl } from './windowed-kstream-impl';

export const KSTREAM_AGGREGATE_NAMES = {
  AGGREGATE: 'KSTREAM-AGGREGATE-',
  REDUCE: 'KSTREAM-REDUCE-',
} as const;

/**
 * Kafka Streams' `KGroupedStreamImpl` with its `GroupedStreamAggregateBuilder`: when the key was
 * changed upstream, the aggregation reads `<applicationId>-<Grouped name or store name>-repartition`.
 */
export class KGroupedStreamImpl<K, V> implements KGroupedStream<K, V> {
  constructor(
    readonly builder: InternalTopologyBuilder,
    /** The node the grouped records come from. */
    readonly name: string,
    readonly repartitionRequired: boolean,
    /** User-given repartition topic name (`Grouped.as`). */
    readonly repartitionName: string | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
  ) {}

  count(materialized?: Materialized<K, number>, named?: Named): KTable<K, number> {
    const mi = new MaterializedInternal(
      materialized,
      this.builder,
      KSTREAM_AGGREGATE_NAMES.AGGREGATE,
    ).withDefaults(this.keySerde, LONG_AS_NUMBER);
    const name = named?.name ?? this.builder.newName(KSTREAM_AGGREGATE_NAMES.AGGREGATE);
    const serdes = mi.deferredSerdes();
    const supplier = KStreamAggregate.aggregate<K, V, number>(
      mi.storeName,
      () => 0,
      (_k, _v, n) => n + 1,
      serdes,
    );
    return this.doAggregate(name, supplier, mi, serdes);
  }

  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<K, V> {
    if (typeof reducer !== 'function') throw new Error('reduce: reducer must be a function');
    const mi = new MaterializedInternal(
      materialized,
      this.builder,
      KSTREAM_AGGREGATE_NAMES.REDUCE,
    ).withDefaults(this.keySerde, this.valueSerde);
    const name = named?.name ?? this.builder.newName(KSTREAM_AGGREGATE_NAMES.REDUCE);
    const serdes = mi.deferredSerdes();
    return this.doAggregate(name, KStreamAggregate.reduce<K, V>(mi.storeName, reducer, serdes), mi, serdes);
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<K, VA> {
    if (typeof initializer !== 'function' || typeof aggregator !== 'function')
      throw new Error('aggregate: initializer and aggregator must be functions');
    const mi = new MaterializedInternal(
      materialized,
      this.builder,
      KSTREAM_AGGREGATE_NAMES.AGGREGATE,
    ).withDefaults(this.keySerde, undefined);
    const name = named?.name ?? this.builder.newName(KSTREAM_AGGREGATE_NAMES.AGGREGATE);
    const serdes = mi.deferredSerdes();
    return this.doAggregate(
      name,
      KStreamAggregate.aggregate<K, V, VA>(mi.storeName, initializer, aggregator, serdes),
      mi,
      serdes,
    );
  }

  /** Windowed aggregations: `TimeWindows` (tumbling, hopping), `SlidingWindows` or `SessionWindows`. */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(
    windows: TimeWindows | SlidingWindows | SessionWindows,
  ): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    if (windows instanceof TimeWindows || windows instanceof SlidingWindows)
      return new TimeWindowedKStreamImpl(this, windows);
    if (windows instanceof SessionWindows) return new SessionWindowedKStreamImpl(this, windows);
    throw new Error('windowedBy: expected TimeWindows, SlidingWindows or SessionWindows');
  }

  cogroup<VOut>(aggregator: Aggregator<K, V, VOut>): CogroupedKStream<K, VOut> {
    return new CogroupedKStreamImpl<K, VOut>(
      // A cogroup holds streams of several value types: it reads nothing of their value type.
      this,
      aggregator as Aggregator<K, unknown, VOut>,
    );
  }

  /** The node aggregations read from: this stream, or the source of its repartition topic. */
  aggregationParent(storeName: string): string {
    if (!this.repartitionRequired) return this.name;
    return createRepartitionedSource(
      this.builder,
      this.name,
      this.repartitionName ?? storeName,
      this.keySerde as Serde<unknown> | undefined,
      this.valueSerde as Serde<unknown> | undefined,
    );
  }

  private doAggregate<VA>(
    name: string,
    supplier: KStreamAggregate<K, V, VA>,
    mi: MaterializedInternal<K, VA>,
    serdes: ReturnType<MaterializedInternal<K, VA>['deferredSerdes']>,
  ): KTable<K, VA> {
    const parent = this.aggregationParent(mi.storeName);
    this.builder.addProcessor(name, supplier, parent);
    this.builder.addStateStore(mi.keyValueStoreBuilder(serdes.key, serdes.value), name);
    return new KTableImpl<K, VA>(
      this.builder,
      name,
      mi.keySerde,
      mi.valueSerde,
      supplier,
      mi.queryableStoreName,
    );
  }
}
