import { Processor, ProcessorSupplier } from '../../processor/processor';
import { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import { StreamPartitioner } from '../../processor/stream-partitioner';
import { TopicNameExtractor } from '../../processor/topic-name-extractor';
import { Serde } from '../../serialization/serde';
import { BranchedKStream } from '../branched-kstream';
import { ForeachAction, KeyValueLike, KeyValueMapper, KStream, Predicate, ValueMapper } from '../kstream';
import { Named } from '../named';
import { Printed } from '../printed';
import { Produced } from '../produced';
import { Repartitioned } from '../repartitioned';
import { BranchedKStreamImpl } from './branched-kstream-impl';
import { KStreamBranch } from './kstream-branch';
import { KStreamFilter } from './kstream-filter';
import { KStreamFlatMap } from './kstream-flat-map';
import { KStreamFlatMapValues } from './kstream-flat-map-values';
import { KStreamMap } from './kstream-map';
import { KStreamMapValues } from './kstream-map-values';
import { KStreamPassThrough } from './kstream-passthrough';
import { KStreamPeek } from './kstream-peek';
import { KStreamPrint } from './kstream-print';
import { KStreamSelectKey } from './kstream-select-key';
import { KStreamProcessValues, KStreamTransformValues } from './kstream-transform-values';
import { ValueTransformer, ValueTransformerSupplier, ValueTransformerWithKey } from '../value-transformer';
import { JoinWindows } from '../join-windows';
import { StreamJoined } from '../stream-joined';
import { ValueJoiner, ValueJoinerWithKey } from '../value-joiner';
import { joinStreams } from './kstream-impl-join';
import { KStreamKTableJoin } from './kstream-ktable-join';
import { GlobalKTableImpl, isGlobalTable } from './global-ktable-impl';
import { KStreamGlobalKTableJoin } from './kstream-global-ktable-join';
import type { KTableImpl } from './ktable-impl';
import type { KTable } from '../ktable';
import type { GlobalKTable } from '../global-ktable';
import { Joined } from '../joined';
import { KeyedJoiner } from './kstream-kstream-join';
import { Grouped } from '../grouped';
import { KGroupedStream } from '../kgrouped-stream';
import { KGroupedStreamImpl } from './kgrouped-stream-impl';

/** Node-name prefixes, as Kafka Streams generates them. */
export const NAMES = {
  SOURCE: 'KSTREAM-SOURCE-',
  SINK: 'KSTREAM-SINK-',
  FILTER: 'KSTREAM-FILTER-',
  MAPVALUES: 'KSTREAM-MAPVALUES-',
  MAP: 'KSTREAM-MAP-',
  FLATMAP: 'KSTREAM-FLATMAP-',
  FLATMAPVALUES: 'KSTREAM-FLATMAPVALUES-',
  KEY_SELECT: 'KSTREAM-KEY-SELECT-',
  BRANCH: 'KSTREAM-BRANCH-',
  BRANCHCHILD: 'KSTREAM-BRANCHCHILD-',
  MERGE: 'KSTREAM-MERGE-',
  PEEK: 'KSTREAM-PEEK-',
  FOREACH: 'KSTREAM-FOREACH-',
  PRINTER: 'KSTREAM-PRINTER-',
  REPARTITION: 'KSTREAM-REPARTITION-',
  PROCESSOR: 'KSTREAM-PROCESSOR-',
  PROCESSVALUES: 'KSTREAM-PROCESSVALUES-',
  TRANSFORMVALUES: 'KSTREAM-TRANSFORMVALUES-',
} as const;

/** The DSL's stream: adds nodes to the shared `InternalTopologyBuilder` (Kafka Streams' `KStreamImpl`). */
export class KStreamImpl<K, V> implements KStream<K, V> {
  constructor(
    readonly builder: InternalTopologyBuilder,
    /** The node whose output this stream is. */
    readonly name: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** True after a key-changing operation: a key-dependent one must repartition first. */
    readonly repartitionRequired: boolean,
  ) {}

  private add<KR, VR>(
    prefix: string,
    named: Named | undefined,
    supplier: ProcessorSupplier<K, V, KR, VR>,
    keySerde: Serde<KR> | undefined,
    valueSerde: Serde<VR> | undefined,
    repartitionRequired: boolean,
  ): KStreamImpl<KR, VR> {
    const name = named?.name ?? this.builder.newName(prefix);
    this.builder.addProcessor(name, supplier, this.name);
    return new KStreamImpl<KR, VR>(this.builder, name, keySerde, valueSerde, repartitionRequired);
  }

  filter(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    return this.add(
      NAMES.FILTER,
      named,
      new KStreamFilter(predicate, false),
      this.keySerde,
      this.valueSerde,
      this.repartitionRequired,
    );
  }

  filterNot(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    return this.add(
      NAMES.FILTER,
      named,
      new KStreamFilter(predicate, true),
      this.keySerde,
      this.valueSerde,
      this.repartitionRequired,
    );
  }

  mapValues<VR>(mapper: ValueMapper<K, V, VR>, named?: Named): KStream<K, VR> {
    return this.add<K, VR>(
      NAMES.MAPVALUES,
      named,
      new KStreamMapValues(mapper),
      this.keySerde,
      undefined,
      this.repartitionRequired,
    );
  }

  map<KR, VR>(mapper: KeyValueMapper<K, V, KeyValueLike<KR, VR>>, named?: Named): KStream<KR, VR> {
    return this.add<KR, VR>(NAMES.MAP, named, new KStreamMap(mapper), undefined, undefined, true);
  }

  flatMap<KR, VR>(
    mapper: KeyValueMapper<K, V, Iterable<KeyValueLike<KR, VR>>>,
    named?: Named,
  ): KStream<KR, VR> {
    return this.add<KR, VR>(NAMES.FLATMAP, named, new KStreamFlatMap(mapper), undefined, undefined, true);
  }

  flatMapValues<VR>(mapper: ValueMapper<K, V, Iterable<VR>>, named?: Named): KStream<K, VR> {
    return this.add<K, VR>(
      NAMES.FLATMAPVALUES,
      named,
      new KStreamFlatMapValues(mapper),
      this.keySerde,
      undefined,
      this.repartitionRequired,
    );
  }

  selectKey<KR>(mapper: KeyValueMapper<K, V, KR>, named?: Named): KStream<KR, V> {
    return this.add<KR, V>(
      NAMES.KEY_SELECT,
      named,
      new KStreamSelectKey(mapper),
      undefined,
      this.valueSerde,
      true,
    );
  }

  branch(...args: Array<Predicate<K, V> | Named>): KStream<K, V>[] {
    const named = args[0] instanceof Named ? (args.shift() as Named) : undefined;
    const predicates = args as Predicate<K, V>[];
    if (predicates.length === 0) throw new Error('branch: at least one predicate is required');
    if (predicates.some((p) => typeof p !== 'function'))
      throw new Error('branch: every predicate must be a function');
    const branchName = named?.name ?? this.builder.newName(NAMES.BRANCH);
    const childNames: string[] = [];
    this.builder.addProcessor(branchName, new KStreamBranch(predicates, childNames), this.name);
    return predicates.map((_, i) => {
      const child = named ? `${named.name}-predicate-${i}` : this.builder.newName(NAMES.BRANCHCHILD);
      childNames.push(child);
      this.builder.addProcessor(child, new KStreamPassThrough(), branchName);
      return new KStreamImpl<K, V>(
        this.builder,
        child,
        this.keySerde,
        this.valueSerde,
        this.repartitionRequired,
      );
    });
  }

  split(named?: Named): BranchedKStream<K, V> {
    const splitter = named?.name ?? this.builder.newName(NAMES.BRANCH);
    return new BranchedKStreamImpl<K, V>(
      this.builder,
      this.name,
      splitter,
      (childName) =>
        new KStreamImpl<K, V>(
          this.builder,
          childName,
          this.keySerde,
          this.valueSerde,
          this.repartitionRequired,
        ),
    );
  }

  merge(stream: KStream<K, V>, named?: Named): KStream<K, V> {
    const other = stream as KStreamImpl<K, V>;
    if (other.builder !== this.builder)
      throw new Error('merge: both streams must come from the same StreamsBuilder');
    const name = named?.name ?? this.builder.newName(NAMES.MERGE);
    this.builder.addProcessor(name, new KStreamPassThrough(), this.name, other.name);
    const same = <T>(a: T | undefined, b: T | undefined) => (a === b ? a : undefined);
    return new KStreamImpl(
      this.builder,
      name,
      same(this.keySerde, other.keySerde),
      same(this.valueSerde, other.valueSerde),
      this.repartitionRequired || other.repartitionRequired,
    );
  }

  peek(action: ForeachAction<K, V>, named?: Named): KStream<K, V> {
    return this.add(
      NAMES.PEEK,
      named,
      new KStreamPeek(action, true),
      this.keySerde,
      this.valueSerde,
      this.repartitionRequired,
    );
  }

  foreach(action: ForeachAction<K, V>, named?: Named): void {
    this.add(NAMES.FOREACH, named, new KStreamPeek(action, false), undefined, undefined, false);
  }

  print(printed: Printed<K, V>): void {
    const name = printed.name ?? this.builder.newName(NAMES.PRINTER);
    this.builder.addProcessor(name, new KStreamPrint(printed, this.name), this.name);
  }

  to(topic: string | TopicNameExtractor<K, V>, produced?: Produced<K, V>): void {
    if (typeof topic === 'string' && !topic) throw new Error('to: topic must not be empty');
    this.addSink(
      produced?.fields.name ?? this.builder.newName(NAMES.SINK),
      topic,
      produced?.fields.keySerde,
      produced?.fields.valueSerde,
      produced?.fields.partitioner,
    );
  }

  private addSink(
    name: string,
    topic: string | TopicNameExtractor<K, V>,
    keySerde?: Serde<K>,
    valueSerde?: Serde<V>,
    partitioner?: StreamPartitioner<K, V>,
  ): void {
    const ks = keySerde ?? this.keySerde;
    const vs = valueSerde ?? this.valueSerde;
    this.builder.addSink(
      {
        name,
        topic: typeof topic === 'string' ? topic : undefined,
        extractor: typeof topic === 'string' ? undefined : (topic as TopicNameExtractor<unknown, unknown>),
        keySerializer: ks?.serializer(),
        valueSerializer: vs?.serializer(),
        partitioner: partitioner as StreamPartitioner<unknown, unknown> | undefined,
      },
      this.name,
    );
  }

  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V> {
    const g = grouped?.fields ?? {};
    return new KGroupedStreamImpl<K, V>(
      this.builder,
      this.name,
      this.repartitionRequired,
      g.name,
      g.keySerde ?? this.keySerde,
      g.valueSerde ?? this.valueSerde,
    );
  }

  groupBy<KR>(selector: KeyValueMapper<K, V, KR>, grouped?: Grouped<KR, V>): KGroupedStream<KR, V> {
    if (typeof selector !== 'function') throw new Error('groupBy: selector must be a function');
    const g = grouped?.fields ?? {};
    const name = g.name !== undefined ? `${g.name}-key-select` : this.builder.newName(NAMES.KEY_SELECT);
    this.builder.addProcessor(name, new KStreamSelectKey(selector), this.name);
    return new KGroupedStreamImpl<KR, V>(
      this.builder,
      name,
      true,
      g.name,
      g.keySerde,
      g.valueSerde ?? this.valueSerde,
    );
  }

  through(topic: string, produced?: Produced<K, V>): KStream<K, V> {
    this.to(topic, produced);
    const ks = produced?.fields.keySerde ?? this.keySerde;
    const vs = produced?.fields.valueSerde ?? this.valueSerde;
    const source = this.builder.newName(NAMES.SOURCE);
    this.builder.addSource({
      name: source,
      topics: [topic],
      keyDeserializer: ks?.deserializer(),
      valueDeserializer: vs?.deserializer(),
    });
    return new KStreamImpl(this.builder, source, ks, vs, false);
  }

  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V> {
    const f = repartitioned?.fields ?? {};
    const base = f.name ?? this.builder.newName(NAMES.REPARTITION);
    return this.throughRepartitionTopic(
      base,
      f.keySerde,
      f.valueSerde,
      f.numberOfPartitions,
      f.partitioner,
      false,
    );
  }

  /**
   * The auto-repartitioning mechanism: key-dependent operations (aggregations, joins) call this
   * first; when a key-changing operation came before, records go through
   * `<applicationId>-<base>-repartition` (null keys dropped), partitioned by the new key.
   */
  repartitionIfRequired(
    base: string | undefined,
    keySerde?: Serde<K>,
    valueSerde?: Serde<V>,
  ): KStreamImpl<K, V> {
    if (!this.repartitionRequired) return this;
    return this.throughRepartitionTopic(
      base ?? this.builder.newName(NAMES.REPARTITION),
      keySerde,
      valueSerde,
      undefined,
      undefined,
      true,
    );
  }

  private throughRepartitionTopic(
    base: string,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    partitions: number | undefined,
    partitioner: StreamPartitioner<K, V> | undefined,
    dropNullKeys: boolean,
  ): KStreamImpl<K, V> {
    const topic = `${base}-repartition`;
    this.builder.addInternalTopic(topic, 'repartition', partitions);
    const parent: KStreamImpl<K, V> = dropNullKeys
      ? this.add(
          NAMES.FILTER,
          Named.as(`${base}-repartition-filter`),
          new KStreamFilter<K, V>((k) => k !== null && k !== undefined, false),
          this.keySerde,
          this.valueSerde,
          true,
        )
      : this;
    const ks = keySerde ?? this.keySerde;
    const vs = valueSerde ?? this.valueSerde;
    parent.addSink(`${base}-repartition-sink`, topic, ks, vs, partitioner);
    const source = `${base}-repartition-source`;
    this.builder.addSource({
      name: source,
      topics: [topic],
      keyDeserializer: ks?.deserializer(),
      valueDeserializer: vs?.deserializer(),
    });
    return new KStreamImpl(this.builder, source, ks, vs, false);
  }

  process<KR, VR>(
    supplier: ProcessorSupplier<K, V, KR, VR> | (() => Processor<K, V, KR, VR>),
    ...storeNames: string[]
  ): KStream<KR, VR> {
    const s: ProcessorSupplier<K, V, KR, VR> = typeof supplier === 'function' ? { get: supplier } : supplier;
    const name = this.builder.newName(NAMES.PROCESSOR);
    this.builder.addProcessor(name, s, this.name);
    if (storeNames.length) this.builder.connectProcessorAndStateStores(name, ...storeNames);
    return new KStreamImpl<KR, VR>(this.builder, name, undefined, undefined, true);
  }

  processValues<VR>(
    supplier: ProcessorSupplier<K, V, K, VR> | (() => Processor<K, V, K, VR>),
    ...storeNames: string[]
  ): KStream<K, VR> {
    const s: ProcessorSupplier<K, V, K, VR> = typeof supplier === 'function' ? { get: supplier } : supplier;
    return this.addWithStores<VR>(NAMES.PROCESSVALUES, new KStreamProcessValues(s), storeNames);
  }

  transformValues<VR>(
    supplier:
      | ValueTransformerSupplier<K, V, VR>
      | (() => ValueTransformer<V, VR> | ValueTransformerWithKey<K, V, VR>),
    ...storeNames: string[]
  ): KStream<K, VR> {
    const s: ValueTransformerSupplier<K, V, VR> =
      typeof supplier === 'function' ? { get: supplier } : supplier;
    return this.addWithStores<VR>(NAMES.TRANSFORMVALUES, new KStreamTransformValues(s), storeNames);
  }

  private addWithStores<VR>(
    prefix: string,
    supplier: ProcessorSupplier<K, V, K, VR>,
    storeNames: string[],
  ): KStream<K, VR> {
    const name = this.builder.newName(prefix);
    this.builder.addProcessor(name, supplier, this.name);
    if (storeNames.length) this.builder.connectProcessorAndStateStores(name, ...storeNames);
    return new KStreamImpl<K, VR>(this.builder, name, this.keySerde, undefined, this.repartitionRequired);
  }

  join<VO, VR>(
    other: KStream<K, VO> | KTable<K, VO> | GlobalKTable<unknown, VO>,
    joinerOrKeySelector: AnyJoiner<K, V, VO, VR> | GlobalKeySelector<K, V>,
    windowsOrJoinedOrJoiner?: JoinWindows | Joined<K, V, VO> | AnyJoiner<K, V, VO, VR>,
    streamJoinedOrNamed?: StreamJoined<K, V, VO> | Named,
  ): KStream<K, VR> {
    return this.dispatchJoin(other, joinerOrKeySelector, windowsOrJoinedOrJoiner, streamJoinedOrNamed, false);
  }

  leftJoin<VO, VR>(
    other: KStream<K, VO> | KTable<K, VO> | GlobalKTable<unknown, VO>,
    joinerOrKeySelector: AnyJoiner<K, V, VO, VR> | GlobalKeySelector<K, V>,
    windowsOrJoinedOrJoiner?: JoinWindows | Joined<K, V, VO> | AnyJoiner<K, V, VO, VR>,
    streamJoinedOrNamed?: StreamJoined<K, V, VO> | Named,
  ): KStream<K, VR> {
    return this.dispatchJoin(other, joinerOrKeySelector, windowsOrJoinedOrJoiner, streamJoinedOrNamed, true);
  }

  /**
   * Picks the join the overload called for by the kind of `other` (the overloads of
   * {@link KStream.join} shift their parameters: a global table takes a key selector second).
   */
  private dispatchJoin<VO, VR>(
    other: KStream<K, VO> | KTable<K, VO> | GlobalKTable<unknown, VO>,
    second: AnyJoiner<K, V, VO, VR> | GlobalKeySelector<K, V>,
    third: JoinWindows | Joined<K, V, VO> | AnyJoiner<K, V, VO, VR> | undefined,
    fourth: StreamJoined<K, V, VO> | Named | undefined,
    left: boolean,
  ): KStream<K, VR> {
    if (isGlobalTable<unknown, VO>(other))
      return this.globalTableJoin<unknown, VO, VR>(
        other,
        second as GlobalKeySelector<K, V>,
        third as AnyJoiner<K, V, VO, VR>,
        fourth as Named | undefined,
        left,
      );
    const joiner = second as AnyJoiner<K, V, VO, VR>;
    if (isTable<K, VO>(other))
      return this.doTableJoin(other, joiner, third as Joined<K, V, VO> | undefined, left);
    return this.doJoin(
      other as KStream<K, VO>,
      joiner,
      third as JoinWindows,
      fourth as StreamJoined<K, V, VO> | undefined,
      left,
      false,
    );
  }

  /**
   * Stream-global-table join (Kafka Streams' `globalTableJoin`): no repartitioning, no
   * co-partitioning; the processor reads the global store, which every task can see.
   */
  private globalTableJoin<KG, VG, VR>(
    table: GlobalKTableImpl<KG, VG>,
    keySelector: (key: K, value: V) => KG | null | undefined,
    joiner: ValueJoiner<V, VG, VR> | ValueJoinerWithKey<K, V, VG, VR>,
    named: Named | undefined,
    leftJoin: boolean,
  ): KStream<K, VR> {
    if (typeof keySelector !== 'function') throw new Error('join: keySelector must be a function');
    if (typeof joiner !== 'function') throw new Error('join: joiner must be a function');
    if (table.builder !== this.builder)
      throw new Error('join: the stream and the global table must come from the same StreamsBuilder');
    // Kafka Streams names both the inner and the left global join KSTREAM-LEFTJOIN-<n>.
    const name = named?.name ?? this.builder.newName('KSTREAM-LEFTJOIN-');
    this.builder.addProcessor(
      name,
      new KStreamGlobalKTableJoin<K, V, KG, VG, VR>(
        table.valueGetterSupplier(),
        keyedJoiner(joiner),
        keySelector,
        leftJoin,
      ),
      this.name,
    );
    return new KStreamImpl<K, VR>(this.builder, name, this.keySerde, undefined, this.repartitionRequired);
  }

  /** Stream-table join (Kafka Streams' `doStreamTableJoin`). */
  private doTableJoin<VT, VR>(
    table: KTableImpl<K, VT>,
    joiner: ValueJoiner<V, VT, VR> | ValueJoinerWithKey<K, V, VT, VR>,
    joined: Joined<K, V, VT> | undefined,
    leftJoin: boolean,
  ): KStream<K, VR> {
    if (typeof joiner !== 'function') throw new Error('join: joiner must be a function');
    if (table.builder !== this.builder)
      throw new Error('join: the stream and the table must come from the same StreamsBuilder');
    const f = joined?.fields;
    const self: KStreamImpl<K, V> = this.repartitionRequired
      ? this.repartitionForJoin(f?.name ?? this.name, f?.keySerde, f?.valueSerde)
      : this;
    this.builder.copartitionSources([
      ...new Set([...sourceTopicsOf(this.builder, self.name), ...sourceTopicsOf(this.builder, table.name)]),
    ]);
    const name = f?.name ?? this.builder.newName(leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
    const getter = table.valueGetterSupplier();
    this.builder.addProcessor(
      name,
      new KStreamKTableJoin<K, V, K, VT, VR>(getter, (k) => k, keyedJoiner(joiner), leftJoin),
      self.name,
    );
    this.builder.connectProcessorAndStateStores(name, ...getter.storeNames());
    return new KStreamImpl<K, VR>(this.builder, name, f?.keySerde ?? self.keySerde, undefined, false);
  }

  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V | null, VO | null, VR> | ValueJoinerWithKey<K, V | null, VO | null, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR> {
    return this.doJoin(other, joiner as ValueJoiner<V, VO, VR>, windows, streamJoined, true, true);
  }

  private doJoin<VO, VR>(
    otherStream: KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR> | ValueJoinerWithKey<K, V, VO, VR>,
    windows: JoinWindows,
    streamJoined: StreamJoined<K, V, VO> | undefined,
    leftOuter: boolean,
    rightOuter: boolean,
  ): KStream<K, VR> {
    if (typeof joiner !== 'function') throw new Error('join: joiner must be a function');
    if (!(windows instanceof JoinWindows)) throw new Error('join: windows must be JoinWindows');
    let other = otherStream as KStreamImpl<K, VO>;
    if (other.builder !== this.builder)
      throw new Error('join: both streams must come from the same StreamsBuilder');
    const f = streamJoined?.fields;
    const self: KStreamImpl<K, V> = this.repartitionRequired
      ? this.repartitionForJoin(f?.name ? `${f.name}-left` : this.name, f?.keySerde, f?.valueSerde)
      : this;
    if (other.repartitionRequired)
      other = other.repartitionForJoin(
        f?.name ? `${f.name}-right` : other.name,
        f?.keySerde,
        f?.otherValueSerde,
      );
    self.ensureCopartitionWith(other);
    const result = joinStreams<K, V, VO, VR>(
      self,
      other,
      keyedJoiner(joiner),
      windows,
      streamJoined,
      leftOuter,
      rightOuter,
    );
    return new KStreamImpl<K, VR>(this.builder, result.name, result.keySerde, undefined, false);
  }

  /**
   * Repartitions before a join (Kafka Streams' `repartitionForJoin`): through
   * `<applicationId>-<name>-repartition`, where `name` is the key-changing node's name or the
   * join's `StreamJoined` name with `-left`/`-right`. Records with null keys pass (left/outer joins
   * emit them).
   */
  repartitionForJoin(name: string, keySerde?: Serde<K>, valueSerde?: Serde<V>): KStreamImpl<K, V> {
    const topic = name.endsWith('-repartition') ? name : `${name}-repartition`;
    // Generated names are always drawn, to keep later generated names stable.
    const genSink = this.builder.newName(NAMES.SINK);
    const genFilter = this.builder.newName(NAMES.FILTER);
    const genSource = this.builder.newName(NAMES.SOURCE);
    const generated = /^KSTREAM.*-[0-9]{10}$/.test(name);
    const sinkName = generated ? genSink : `${topic}-sink`;
    const filterName = generated ? genFilter : `${topic}-filter`;
    const sourceName = generated ? genSource : `${topic}-source`;
    this.builder.addInternalTopic(topic, 'repartition');
    const ks = keySerde ?? this.keySerde;
    const vs = valueSerde ?? this.valueSerde;
    const filtered = this.add<K, V>(
      NAMES.FILTER,
      Named.as(filterName),
      new KStreamFilter<K, V>(() => true, false),
      ks,
      vs,
      true,
    );
    filtered.addSink(sinkName, topic, ks, vs);
    this.builder.addSource({
      name: sourceName,
      topics: [topic],
      keyDeserializer: ks?.deserializer(),
      valueDeserializer: vs?.deserializer(),
    });
    return new KStreamImpl(this.builder, sourceName, ks, vs, false);
  }

  /** The topics feeding this stream's node (walking up to its sources). */
  sourceTopics(): string[] {
    return sourceTopicsOf(this.builder, this.name);
  }

  /** Declares that this stream's and `other`'s source topics must have equal partition counts. */
  ensureCopartitionWith<VO>(other: KStreamImpl<K, VO>): void {
    this.builder.copartitionSources([...new Set([...this.sourceTopics(), ...other.sourceTopics()])]);
  }
}

/** The topics feeding node `name` (walking up to its sources). */
export function sourceTopicsOf(builder: InternalTopologyBuilder, name: string): string[] {
  const topics = new Set<string>();
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    const node = builder.nodes.get(n);
    if (!node) return;
    if (node.kind === 'source') (node.topics ?? []).forEach((t) => topics.add(t));
    else node.parents.forEach(visit);
  };
  visit(name);
  return [...topics];
}

/** True for a {@link KTableImpl} (a table of this builder's DSL); its types are the caller's to state. */
function isTable<K, V>(x: unknown): x is KTableImpl<K, V> {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Partial<KTableImpl<K, V>>).valueGetterSupplier === 'function'
  );
}

/** The joiner of a join overload: without the key (`ValueJoiner`) or with it (`ValueJoinerWithKey`). */
type AnyJoiner<K, V, VO, VR> = ValueJoiner<V, VO, VR> | ValueJoinerWithKey<K, V, VO, VR>;

/** The key selector of a stream-global-table join. */
type GlobalKeySelector<K, V> = (key: K, value: V) => unknown;

/** Normalises a `ValueJoiner` (two parameters) or `ValueJoinerWithKey` (three) to `(key, v1, v2)`. */
export function keyedJoiner<K, V1, V2, VR>(
  joiner: ValueJoiner<V1, V2, VR> | ValueJoinerWithKey<K, V1, V2, VR>,
): KeyedJoiner<K, V1, V2, VR> {
  if (joiner.length >= 3) return joiner as KeyedJoiner<K, V1, V2, VR>;
  const j = joiner as ValueJoiner<V1 | null, V2 | null, VR>;
  return (_k, v1, v2) => j(v1, v2);
}
