import { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import { ProcessorSupplier } from '../../processor/processor';
import { Serde } from '../../serialization/serde';
import { Grouped } from '../grouped';
import { KGroupedTable } from '../kgrouped-table';
import { KeyValueLike, KeyValueMapper, KStream, Predicate, ValueMapper } from '../kstream';
import { KTable } from '../ktable';
import { Materialized } from '../materialized';
import { Named } from '../named';
import { Change } from './change';
import { KGroupedTableImpl } from './kgrouped-table-impl';
import { KStreamImpl, sourceTopicsOf } from './kstream-impl';
import { KStreamMapValues } from './kstream-map-values';
import { KTableFilter } from './ktable-filter';
import { KTableMapValues, KTableMaterialization } from './ktable-map-values';
import { KTableParent, KTableValueGetterSupplier } from './ktable-processor-supplier';
import { KTableRepartitionMap } from './ktable-repartition-map';
import { MaterializedInternal, pad, STATE_STORE_NAME } from './materialized-internal';
import { Suppressed } from '../suppressed';
import { KTableSuppress, SuppressionBufferBuilder } from './ktable-suppress';
import { DeferredSerde } from './deferred-serde';
import { joinTables } from './ktable-impl-join';
import { TableJoiner } from './ktable-ktable-abstract-join';
import { TableJoined } from '../table-joined';
import { ValueJoiner } from '../value-joiner';
import { joinOnForeignKey } from './foreignkeyjoin/foreign-key-join-builder';

/** The foreign-key extractor of a foreign-key join. */
type ForeignKeyExtractor<V, KO> = (value: V) => KO | null;

/** Node-name prefixes of table operators, as Kafka Streams generates them. */
export const KTABLE_NAMES = {
  SOURCE: 'KTABLE-SOURCE-',
  FILTER: 'KTABLE-FILTER-',
  MAPVALUES: 'KTABLE-MAPVALUES-',
  TOSTREAM: 'KTABLE-TOSTREAM-',
  SELECT: 'KTABLE-SELECT-',
  AGGREGATE: 'KTABLE-AGGREGATE-',
  REDUCE: 'KTABLE-REDUCE-',
  SUPPRESS: 'KTABLE-SUPPRESS-',
} as const;

/**
 * The DSL's table (Kafka Streams' `KTableImpl`): the node `name` forwards `Change`s; `parent` is
 * the processor supplier behind it, which gives the table's view (value getter) and sends old
 * values on request. Joins use {@link valueGetterSupplier} and {@link enableSendingOldValues}.
 */
export class KTableImpl<K, V> implements KTable<K, V> {
  constructor(
    readonly builder: InternalTopologyBuilder,
    readonly name: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly parent: KTableParent<K, V>,
    private readonly storeName: string | undefined,
    /**
     * For a windowed table (and tables derived from it): how long after a window's end its result
     * may still change (grace, plus the gap for sessions); what `Suppressed.untilWindowCloses` waits.
     */
    readonly windowCloseDelayMs?: number,
  ) {}

  queryableStoreName(): string | undefined {
    return this.storeName;
  }

  /** The table's values by key, for processors connected to `storeNames()` (joins, derived tables). */
  valueGetterSupplier(): KTableValueGetterSupplier<K, V> {
    return this.parent.view();
  }

  /** The topics feeding this table (walking up to its sources). */
  sourceTopics(): string[] {
    return sourceTopicsOf(this.builder, this.name);
  }

  /** Makes this table forward old values (materializing its source if needed). */
  enableSendingOldValues(forceMaterialization = true): boolean {
    return this.parent.enableSendingOldValues(forceMaterialization);
  }

  private addTableNode<VR>(
    prefix: string,
    named: Named | undefined,
    supplier: ProcessorSupplier<K, Change<V>, K, Change<VR>> & KTableParent<K, VR>,
    valueSerde: Serde<VR> | undefined,
    m: KTableMaterialization<K, VR> | undefined,
    store?: MaterializedInternal<K, VR>,
  ): KTableImpl<K, VR> {
    const name = named?.name ?? this.builder.newName(prefix);
    this.builder.addProcessor(name, supplier, this.name);
    if (m && store) {
      this.builder.addStateStore(store.keyValueStoreBuilder(m.keySerde, m.valueSerde), name);
    }
    return new KTableImpl<K, VR>(
      this.builder,
      name,
      this.keySerde,
      valueSerde,
      supplier,
      m?.storeName,
      this.windowCloseDelayMs,
    );
  }

  private materialization<VR>(
    materialized: Materialized<K, VR> | undefined,
    prefix: string,
    valueSerde: Serde<VR> | undefined,
  ): { m?: KTableMaterialization<K, VR>; store?: MaterializedInternal<K, VR> } {
    if (materialized === undefined) return {};
    const store = new MaterializedInternal<K, VR>(materialized, this.builder, prefix).withDefaults(
      this.keySerde,
      valueSerde,
    );
    if (store.queryableStoreName === undefined) return {};
    const serdes = store.deferredSerdes();
    return {
      store,
      m: { storeName: store.storeName, keySerde: serdes.key, valueSerde: serdes.value },
    };
  }

  filter(predicate: Predicate<K, V>, named?: Named, materialized?: Materialized<K, V>): KTable<K, V> {
    return this.doFilter(predicate, false, named, materialized);
  }

  filterNot(predicate: Predicate<K, V>, named?: Named, materialized?: Materialized<K, V>): KTable<K, V> {
    return this.doFilter(predicate, true, named, materialized);
  }

  private doFilter(
    predicate: Predicate<K, V>,
    not: boolean,
    named: Named | undefined,
    materialized: Materialized<K, V> | undefined,
  ): KTable<K, V> {
    if (typeof predicate !== 'function') throw new Error('KTable.filter: predicate must be a function');
    const { m, store } = this.materialization(materialized, KTABLE_NAMES.FILTER, this.valueSerde);
    const supplier = new KTableFilter<K, V>(this.parent, predicate, not, m);
    return this.addTableNode(
      KTABLE_NAMES.FILTER,
      named,
      supplier,
      store?.valueSerde ?? this.valueSerde,
      m,
      store,
    );
  }

  mapValues<VR>(
    mapper: ValueMapper<K, V, VR>,
    named?: Named,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR> {
    if (typeof mapper !== 'function') throw new Error('KTable.mapValues: mapper must be a function');
    const { m, store } = this.materialization<VR>(materialized, KTABLE_NAMES.MAPVALUES, undefined);
    const supplier = new KTableMapValues<K, V, VR>(this.parent, mapper, m);
    return this.addTableNode(KTABLE_NAMES.MAPVALUES, named, supplier, store?.valueSerde, m, store);
  }

  suppress(suppressed: Suppressed): KTable<K, V> {
    if (!(suppressed instanceof Suppressed)) throw new Error('KTable.suppress: expected a Suppressed');
    const f = suppressed.fields;
    const name = f.name ?? this.builder.newName(KTABLE_NAMES.SUPPRESS);
    const storeName = f.name
      ? `${f.name}-store`
      : `${KTABLE_NAMES.SUPPRESS}${STATE_STORE_NAME}${pad(this.builder.nextIndex())}`;
    let duration = f.timeLimitMs;
    if (f.kind === 'window-close') {
      if (this.windowCloseDelayMs === undefined)
        throw new Error(
          'Suppressed.untilWindowCloses needs a windowed table (the result of windowedBy(...).count/reduce/aggregate)',
        );
      duration = this.windowCloseDelayMs;
    }
    const keySerde = DeferredSerde.of(this.keySerde, `suppress ${name} key serde`);
    const valueSerde = DeferredSerde.of(this.valueSerde, `suppress ${name} value serde`);
    const supplier = new KTableSuppress<K, V>(this.parent, storeName, f, duration, keySerde, valueSerde);
    this.builder.addProcessor(name, supplier, this.name);
    this.builder.addStateStore(new SuppressionBufferBuilder(storeName), name);
    return new KTableImpl<K, V>(
      this.builder,
      name,
      this.keySerde,
      this.valueSerde,
      supplier,
      undefined,
      this.windowCloseDelayMs,
    );
  }

  toStream(named?: Named): KStream<K, V> {
    const name = named?.name ?? this.builder.newName(KTABLE_NAMES.TOSTREAM);
    this.builder.addProcessor(
      name,
      new KStreamMapValues<K, Change<V>, V | null>((change) => change.newValue),
      this.name,
    );
    return new KStreamImpl<K, V>(this.builder, name, this.keySerde, this.valueSerde, false);
  }

  groupBy<KR, VR>(
    selector: KeyValueMapper<K, V, KeyValueLike<KR, VR>>,
    grouped?: Grouped<KR, VR>,
  ): KGroupedTable<KR, VR> {
    if (typeof selector !== 'function') throw new Error('KTable.groupBy: selector must be a function');
    const g = grouped?.fields ?? {};
    const selectName = g.name ?? this.builder.newName(KTABLE_NAMES.SELECT);
    const valueSerde = DeferredSerde.of<VR>(g.valueSerde, `KTable.groupBy ${selectName} value serde`);
    this.builder.addProcessor(
      selectName,
      new KTableRepartitionMap<K, V, KR, VR>(selector, valueSerde),
      this.name,
    );
    this.enableSendingOldValues(true);
    return new KGroupedTableImpl<KR, VR>(this.builder, selectName, g.name, g.keySerde, valueSerde);
  }

  join<VO, VR, KO = K>(
    other: KTable<KO, VO>,
    joinerOrExtractor: ValueJoiner<V, VO, VR> | ForeignKeyExtractor<V, KO>,
    third?: Named | Materialized<K, VR> | ValueJoiner<V, VO, VR>,
    fourth?: Materialized<K, VR> | TableJoined<K, KO>,
    fifth?: Materialized<K, VR>,
  ): KTable<K, VR> {
    return this.dispatchJoin(other, joinerOrExtractor, third, fourth, fifth, false);
  }

  leftJoin<VO, VR, KO = K>(
    other: KTable<KO, VO>,
    joinerOrExtractor: ValueJoiner<V, VO, VR> | ForeignKeyExtractor<V, KO>,
    third?: Named | Materialized<K, VR> | ValueJoiner<V, VO, VR>,
    fourth?: Materialized<K, VR> | TableJoined<K, KO>,
    fifth?: Materialized<K, VR>,
  ): KTable<K, VR> {
    return this.dispatchJoin(other, joinerOrExtractor, third, fourth, fifth, true);
  }

  /**
   * Picks the join the overload called for: a function third argument is the joiner of a
   * foreign-key join (the second is then the foreign-key extractor); otherwise a join on the key.
   */
  private dispatchJoin<VO, VR, KO>(
    other: KTable<KO, VO>,
    second: ValueJoiner<V, VO, VR> | ForeignKeyExtractor<V, KO>,
    third: Named | Materialized<K, VR> | ValueJoiner<V, VO, VR> | undefined,
    fourth: Materialized<K, VR> | TableJoined<K, KO> | undefined,
    fifth: Materialized<K, VR> | undefined,
    left: boolean,
  ): KTable<K, VR> {
    if (typeof third === 'function')
      return this.doForeignKeyJoin<KO, VO, VR>(
        other,
        second as ForeignKeyExtractor<V, KO>,
        // A left join's joiner takes a null foreign value; an inner join's is only called with one.
        third as ValueJoiner<V, VO | null, VR>,
        fourth,
        fifth,
        left,
      );
    // A join on the key: `other` is keyed like this table.
    return this.doTableJoin<VO, VR>(
      other as KTable<unknown, VO> as KTable<K, VO>,
      // A left join's joiner takes a null right value; an inner join's is only called with both.
      second as TableJoiner<V, VO, VR>,
      third,
      fourth as Materialized<K, VR> | undefined,
      left,
      false,
    );
  }

  outerJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V | null, VO | null, VR>,
    namedOrMaterialized?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR> {
    return this.doTableJoin(other, joiner, namedOrMaterialized, materialized, true, true);
  }

  /** Table-table join on the key (Kafka Streams' `KTableImpl.doJoin`). */
  private doTableJoin<VO, VR>(
    otherTable: KTable<K, VO>,
    joiner: TableJoiner<V, VO, VR>,
    namedOrMaterialized: Named | Materialized<K, VR> | undefined,
    materialized: Materialized<K, VR> | undefined,
    leftOuter: boolean,
    rightOuter: boolean,
  ): KTable<K, VR> {
    const other = this.checkOther<K, VO>(otherTable);
    if (typeof joiner !== 'function') throw new Error('KTable.join: joiner must be a function');
    const named = namedOrMaterialized instanceof Named ? namedOrMaterialized : undefined;
    const m = namedOrMaterialized instanceof Materialized ? namedOrMaterialized : materialized;
    if (m !== undefined && !(m instanceof Materialized))
      throw new Error('KTable.join: expected a Materialized');
    this.builder.copartitionSources([...new Set([...this.sourceTopics(), ...other.sourceTopics()])]);
    const r = joinTables(this, other, joiner, named, m, leftOuter, rightOuter);
    return new KTableImpl<K, VR>(this.builder, r.name, r.keySerde, r.valueSerde, r.merger, r.storeName);
  }

  /** Foreign-key join (Kafka Streams' `KTableImpl.doJoinOnForeignKey`). */
  private doForeignKeyJoin<KO, VO, VR>(
    otherTable: KTable<KO, VO>,
    foreignKeyExtractor: (value: V) => KO | null,
    joiner: ValueJoiner<V, VO | null, VR>,
    tableJoinedOrMaterialized: TableJoined<K, KO> | Materialized<K, VR> | undefined,
    materialized: Materialized<K, VR> | undefined,
    leftJoin: boolean,
  ): KTable<K, VR> {
    const other = this.checkOther<KO, VO>(otherTable);
    const tableJoined =
      tableJoinedOrMaterialized instanceof TableJoined ? tableJoinedOrMaterialized : undefined;
    const m = tableJoinedOrMaterialized instanceof Materialized ? tableJoinedOrMaterialized : materialized;
    if (m !== undefined && !(m instanceof Materialized))
      throw new Error('KTable.join: expected a Materialized');
    const r = joinOnForeignKey<K, V, KO, VO, VR>(
      this,
      other,
      foreignKeyExtractor,
      joiner,
      tableJoined,
      m,
      leftJoin,
    );
    return new KTableImpl<K, VR>(this.builder, r.name, r.keySerde, r.valueSerde, r.source, r.queryableName);
  }

  private checkOther<KO, VO>(other: KTable<KO, VO>): KTableImpl<KO, VO> {
    if (!(other instanceof KTableImpl)) throw new Error('KTable.join: other must be a KTable');
    if (other.builder !== this.builder)
      throw new Error('KTable.join: both tables must come from the same StreamsBuilder');
    return other;
  }
}
