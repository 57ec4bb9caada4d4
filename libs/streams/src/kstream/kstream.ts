import { Processor, ProcessorSupplier } from '../processor/processor';
import { TopicNameExtractor } from '../processor/topic-name-extractor';
import type { BranchedKStream } from './branched-kstream';
import { KeyValue } from './key-value';
import { Named } from './named';
import { Printed } from './printed';
import { Produced } from './produced';
import { JoinWindows } from './join-windows';
import { Joined } from './joined';
import type { GlobalKTable } from './global-ktable';
import type { KTable } from './ktable';
import { Repartitioned } from './repartitioned';
import { StreamJoined } from './stream-joined';
import { ValueJoiner, ValueJoinerWithKey } from './value-joiner';
import { ValueTransformer, ValueTransformerSupplier, ValueTransformerWithKey } from './value-transformer';
import type { Grouped } from './grouped';
import type { KGroupedStream } from './kgrouped-stream';

/** Tests a record (Kafka Streams' `Predicate`). */
export type Predicate<K, V> = (key: K, value: V) => boolean;
/** Maps a value; the read-only key comes second so `v => v.toUpperCase()` reads naturally. */
export type ValueMapper<K, V, VR> = (value: V, key: K) => VR;
/** Maps a key and a value to a result (Kafka Streams' `KeyValueMapper`). */
export type KeyValueMapper<K, V, R> = (key: K, value: V) => R;
/** Observes a record (Kafka Streams' `ForeachAction`). */
export type ForeachAction<K, V> = (key: K, value: V) => void;
/** A key-value result: a `KeyValue` or a `[key, value]` tuple. */
export type KeyValueLike<K, V> = KeyValue<K, V> | readonly [K, V];

/**
 * An unbounded stream of key-value records (Kafka Streams' `KStream`). Every operation adds a
 * processor node to the topology and returns a new stream; nothing runs until the topology runs.
 */
export interface KStream<K, V> {
  /** Keeps the records for which `predicate` is true. */
  filter(predicate: Predicate<K, V>, named?: Named): KStream<K, V>;
  /** Drops the records for which `predicate` is true. */
  filterNot(predicate: Predicate<K, V>, named?: Named): KStream<K, V>;
  /** Maps each value; keeps the key (no repartitioning needed). */
  mapValues<VR>(mapper: ValueMapper<K, V, VR>, named?: Named): KStream<K, VR>;
  /** Maps each record to a new key and value (marks the stream for repartitioning). */
  map<KR, VR>(mapper: KeyValueMapper<K, V, KeyValueLike<KR, VR>>, named?: Named): KStream<KR, VR>;
  /** Maps each record to zero or more records (marks the stream for repartitioning). */
  flatMap<KR, VR>(
    mapper: KeyValueMapper<K, V, Iterable<KeyValueLike<KR, VR>>>,
    named?: Named,
  ): KStream<KR, VR>;
  /** Maps each value to zero or more values with the same key. */
  flatMapValues<VR>(mapper: ValueMapper<K, V, Iterable<VR>>, named?: Named): KStream<K, VR>;
  /** Sets a new key (marks the stream for repartitioning). */
  selectKey<KR>(mapper: KeyValueMapper<K, V, KR>, named?: Named): KStream<KR, V>;
  /**
   * Splits by predicates (the first that matches wins; records matching none are dropped).
   * Returns one stream per predicate, as in the seed (Kafka's deprecated `branch`).
   */
  branch(...predicates: Array<Predicate<K, V> | Named>): KStream<K, V>[];
  /** Splits with `.branch(predicate, Branched.as(name))...defaultBranch()` (Kafka's `split`). */
  split(named?: Named): BranchedKStream<K, V>;
  /** Merges another stream into this one. */
  merge(stream: KStream<K, V>, named?: Named): KStream<K, V>;
  /** Calls `action` for each record and passes it on. */
  peek(action: ForeachAction<K, V>, named?: Named): KStream<K, V>;
  /** Calls `action` for each record (terminal). */
  foreach(action: ForeachAction<K, V>, named?: Named): void;
  /** Prints each record (`[label]: key, value`). */
  print(printed: Printed<K, V>): void;
  /** Writes to a topic, or to the topic `extractor` picks per record (terminal). */
  to(topic: string | TopicNameExtractor<K, V>, produced?: Produced<K, V>): void;
  /** Groups by the current key for an aggregation (repartitions first if an upstream operation changed the key). */
  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V>;
  /**
   * Groups by a new key: the aggregation reads `<applicationId>-<Grouped name or store name>-repartition`,
   * partitioned by the new key (records whose new key is null are dropped).
   */
  groupBy<KR>(selector: KeyValueMapper<K, V, KR>, grouped?: Grouped<KR, V>): KGroupedStream<KR, V>;
  /** Writes to `topic` and reads it back (Kafka's deprecated `through`); the topic must exist. */
  through(topic: string, produced?: Produced<K, V>): KStream<K, V>;
  /** Writes to an internal `<applicationId>-<name>-repartition` topic and reads it back. */
  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V>;
  /** Runs a Processor API processor (marks the stream for repartitioning). */
  process<KR, VR>(
    supplier: ProcessorSupplier<K, V, KR, VR> | (() => Processor<K, V, KR, VR>),
    ...storeNames: string[]
  ): KStream<KR, VR>;
  /**
   * Runs a processor that may only change values: forwarded records must keep the key, so the
   * stream is not marked for repartitioning (Kafka Streams' `processValues`).
   */
  processValues<VR>(
    supplier: ProcessorSupplier<K, V, K, VR> | (() => Processor<K, V, K, VR>),
    ...storeNames: string[]
  ): KStream<K, VR>;
  /**
   * Transforms each value with a stateful `ValueTransformer` (or `ValueTransformerWithKey`, told
   * apart by `transform` declaring two parameters) that can use the named state stores
   * (the seed's `transformValues(supplier, storeName)`). Keeps the key.
   */
  transformValues<VR>(
    supplier:
      | ValueTransformerSupplier<K, V, VR>
      | (() => ValueTransformer<V, VR> | ValueTransformerWithKey<K, V, VR>),
    ...storeNames: string[]
  ): KStream<K, VR>;
  /**
   * Windowed inner join with another stream (Kafka Streams' `KStream.join`): every pair of records
   * with equal keys whose timestamps are within `windows` yields `joiner(thisValue, otherValue)`
   * once, at the later of the two timestamps. Repartitions either side first if its key changed;
   * both sides must be co-partitioned. Records with a null key or value are dropped and counted.
   * The joiner may take the key first (`ValueJoinerWithKey`, three parameters).
   */
  join<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  join<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoinerWithKey<K, V, VO, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  /**
   * Stream-table join (Kafka Streams' `KStream.join(KTable)`): each record meets the table's value
   * for its key at that moment (table updates emit nothing); no value, no output. The output has
   * the stream record's timestamp. Records with a null key or value are dropped and counted.
   */
  join<VT, VR>(
    table: KTable<K, VT>,
    joiner: ValueJoiner<V, VT, VR>,
    joined?: Joined<K, V, VT>,
  ): KStream<K, VR>;
  join<VT, VR>(
    table: KTable<K, VT>,
    joiner: ValueJoinerWithKey<K, V, VT, VR>,
    joined?: Joined<K, V, VT>,
  ): KStream<K, VR>;
  /**
   * Stream-global-table join (Kafka Streams' `KStream.join(GlobalKTable, KeyValueMapper, ValueJoiner)`):
   * each record looks up `keySelector(key, value)` in the global table (every instance holds all
   * of it, so nothing is repartitioned and no co-partitioning is needed) and forwards
   * `joiner(value, globalValue)` with the record's key and timestamp when there is a value. A
   * record whose value or selected key is null is dropped and counted. Global table updates emit
   * nothing. The processor is `KSTREAM-LEFTJOIN-<n>` (Kafka Streams' name for both) or `named`.
   */
  join<KG, VG, VR>(
    globalTable: GlobalKTable<KG, VG>,
    keySelector: (key: K, value: V) => KG | null | undefined,
    joiner: ValueJoiner<V, VG, VR>,
    named?: Named,
  ): KStream<K, VR>;
  join<KG, VG, VR>(
    globalTable: GlobalKTable<KG, VG>,
    keySelector: (key: K, value: V) => KG | null | undefined,
    joiner: ValueJoinerWithKey<K, V, VG, VR>,
    named?: Named,
  ): KStream<K, VR>;
  /**
   * Stream-global-table left join: as the global {@link join}, but a record without a global value
   * is joined with `null`, and a record with a null key and a value is kept (its key selector
   * still picks the lookup key). A record whose selected key is null (and whose key is not) is
   * dropped and counted, as in Kafka Streams.
   */
  leftJoin<KG, VG, VR>(
    globalTable: GlobalKTable<KG, VG>,
    keySelector: (key: K, value: V) => KG | null | undefined,
    joiner: ValueJoiner<V, VG | null, VR>,
    named?: Named,
  ): KStream<K, VR>;
  leftJoin<KG, VG, VR>(
    globalTable: GlobalKTable<KG, VG>,
    keySelector: (key: K, value: V) => KG | null | undefined,
    joiner: ValueJoinerWithKey<K, V, VG | null, VR>,
    named?: Named,
  ): KStream<K, VR>;
  /**
   * Stream-table left join: as the stream-table {@link join}, but a record without a table value
   * is joined with `null` (and a record with a null key and a value too).
   */
  leftJoin<VT, VR>(
    table: KTable<K, VT>,
    joiner: ValueJoiner<V, VT | null, VR>,
    joined?: Joined<K, V, VT>,
  ): KStream<K, VR>;
  leftJoin<VT, VR>(
    table: KTable<K, VT>,
    joiner: ValueJoinerWithKey<K, V, VT | null, VR>,
    joined?: Joined<K, V, VT>,
  ): KStream<K, VR>;
  /**
   * Windowed left join: as {@link join}, plus `joiner(thisValue, null)` once for every record of
   * this stream that no record of `other` matched, emitted only after its window and grace have
   * passed in stream time (never a `(value, null)` followed by the real match).
   */
  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V, VO | null, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoinerWithKey<K, V, VO | null, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  /** Windowed outer join: as {@link leftJoin}, and unmatched records of `other` as `joiner(null, otherValue)`. */
  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V | null, VO | null, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoinerWithKey<K, V | null, VO | null, VR>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
}
