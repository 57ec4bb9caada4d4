import { InternalTopologyBuilder } from '../processor/internals/internal-topology-builder';
import { StoreBuilder } from '../processor/store-builder';
import { Topology } from '../processor/topology';
import { Consumed } from './consumed';
import { KStreamImpl, NAMES } from './internals/kstream-impl';
import { KStream } from './kstream';
import { KTable } from './ktable';
import { Materialized } from './materialized';
import { KTABLE_NAMES, KTableImpl } from './internals/ktable-impl';
import { KTableSource } from './internals/ktable-source';
import { GlobalKTable } from './global-ktable';
import { GlobalKTableImpl } from './internals/global-ktable-impl';
import { MaterializedInternal } from './internals/materialized-internal';

/** Suffix of a named table's source node (Kafka Streams' `InternalStreamsBuilder.TABLE_SOURCE_SUFFIX`). */
const TABLE_SOURCE_SUFFIX = '-source';

/**
 * Entry point of the DSL (Kafka Streams' `StreamsBuilder`): create streams from topics,
 * chain operations, then `build()` the `Topology`.
 */
export class StreamsBuilder {
  private readonly internal = new InternalTopologyBuilder();
  private readonly topology = new Topology(this.internal);

  /** A stream from one topic, a list of topics or a RegExp of topic names. */
  stream<K = unknown, V = unknown>(
    topics: string | readonly string[] | RegExp,
    consumed?: Consumed<K, V>,
  ): KStream<K, V> {
    const f = consumed?.fields ?? {};
    const name = this.nameOrGenerate(f.name, NAMES.SOURCE);
    const list = typeof topics === 'string' ? [topics] : topics instanceof RegExp ? undefined : [...topics];
    if (list && list.some((t) => !t)) throw new Error('stream: topic names must not be empty');
    this.internal.addSource({
      name,
      topics: list,
      pattern: topics instanceof RegExp ? topics : undefined,
      keyDeserializer: f.keySerde?.deserializer(),
      valueDeserializer: f.valueSerde?.deserializer(),
      timestampExtractor: f.timestampExtractor,
      offsetReset: f.offsetReset,
    });
    return new KStreamImpl<K, V>(this.internal, name, f.keySerde, f.valueSerde, false);
  }

  /**
   * A table from a changelog topic (Kafka Streams' `StreamsBuilder.table`): each record upserts its
   * key, a `null` value deletes it, a `null` key is dropped. With `Materialized.as(name)` the table is
   * kept in a queryable store `name` (changelog `<applicationId>-<name>-changelog`, record cache on
   * unless disabled); otherwise its store `<topic>-STATE-STORE-<index>` is added only when a
   * downstream operator needs it. With `topologyOptimization` `reuse.ktable.source.topics` (or `all`)
   * the store's changelog is `topic` itself: nothing is logged, and it restores from `topic` up to
   * the committed offset.
   */
  table<K = unknown, V = unknown>(
    topic: string,
    consumed?: Consumed<K, V>,
    materialized?: Materialized<K, V>,
  ): KTable<K, V> {
    if (typeof topic !== 'string' || !topic) throw new Error('table: topic must be a non-empty string');
    const f = consumed?.fields ?? {};
    const mi = new MaterializedInternal<K, V>(
      materialized ?? Materialized.with<K, V>(f.keySerde, f.valueSerde),
      this.internal,
      `${topic}-`,
    ).withDefaults(f.keySerde, f.valueSerde);
    const sourceName = this.suffixedOrGenerate(f.name, TABLE_SOURCE_SUFFIX, NAMES.SOURCE);
    const tableSourceName = this.nameOrGenerate(f.name, KTABLE_NAMES.SOURCE);
    const supplier = new KTableSource<K, V>(mi.storeName, mi.queryableStoreName);
    const serdes = mi.deferredSerdes();
    supplier.serdes = serdes;
    this.internal.addSource({
      name: sourceName,
      topics: [topic],
      keyDeserializer: f.keySerde?.deserializer(),
      valueDeserializer: f.valueSerde?.deserializer(),
      timestampExtractor: f.timestampExtractor,
      offsetReset: f.offsetReset,
    });
    this.internal.addProcessor(tableSourceName, supplier, sourceName);
    const addStore = () => {
      const storeBuilder = mi.keyValueStoreBuilder(serdes.key, serdes.value);
      this.internal.addStateStore(storeBuilder, tableSourceName);
      // With reuse.ktable.source.topics the store restores from `topic` and logs nowhere.
      this.internal.addTableSourceStore(storeBuilder.name, topic, () =>
        storeBuilder.inner.withLoggingDisabled(),
      );
    };
    if (mi.queryableStoreName !== undefined) addStore();
    else supplier.materializer = addStore;
    return new KTableImpl<K, V>(
      this.internal,
      tableSourceName,
      mi.keySerde,
      mi.valueSerde,
      supplier,
      mi.queryableStoreName,
    );
  }

  /**
   * A table replicated on every instance (Kafka Streams' `StreamsBuilder.globalTable`): every
   * instance reads all partitions of `topic` into its own store (`Materialized.as(name)`, or
   * `<topic>-STATE-STORE-<index>`), bootstrapping to the topic's end before its stream threads
   * start and keeping it current afterwards. The topic is the store's changelog (logging is
   * disabled, no changelog topic is created); on restart a persistent store resumes from its
   * checkpoint. A `null` value deletes the key, a `null` key is dropped. Join a stream with it
   * through `KStream.join/leftJoin(globalTable, keySelector, joiner)`; query it on any instance.
   * `Consumed.withName(n)` names the source `n-source` and the processor `n`.
   */
  globalTable<K = unknown, V = unknown>(
    topic: string,
    consumedOrMaterialized?: Consumed<K, V> | Materialized<K, V>,
    materialized?: Materialized<K, V>,
  ): GlobalKTable<K, V> {
    if (typeof topic !== 'string' || !topic) throw new Error('globalTable: topic must be a non-empty string');
    let consumed: Consumed<K, V> | undefined;
    if (consumedOrMaterialized instanceof Materialized) materialized = consumedOrMaterialized;
    else consumed = consumedOrMaterialized;
    const f = consumed?.fields ?? {};
    const mi = new MaterializedInternal<K, V>(
      materialized ?? Materialized.with<K, V>(f.keySerde, f.valueSerde),
      this.internal,
      `${topic}-`,
    ).withDefaults(f.keySerde, f.valueSerde);
    const sourceName = this.suffixedOrGenerate(f.name, TABLE_SOURCE_SUFFIX, NAMES.SOURCE);
    const processorName = this.nameOrGenerate(f.name, KTABLE_NAMES.SOURCE);
    const supplier = new KTableSource<K, V>(mi.storeName, mi.storeName);
    const serdes = mi.deferredSerdes();
    supplier.serdes = serdes;
    const storeBuilder = mi.keyValueStoreBuilder(serdes.key, serdes.value);
    storeBuilder.inner.withLoggingDisabled();
    // Kafka Streams deserializes the topic with the store's serdes (Materialized's, else Consumed's).
    this.internal.addGlobalStore(
      storeBuilder,
      {
        name: sourceName,
        keyDeserializer: mi.keySerde?.deserializer(),
        valueDeserializer: mi.valueSerde?.deserializer(),
        timestampExtractor: f.timestampExtractor,
      },
      topic,
      processorName,
      supplier,
      false, // bootstrap writes the records straight into the store (Kafka Streams' restore path)
    );
    return new GlobalKTableImpl<K, V>(this.internal, mi.storeName, mi.queryableStoreName);
  }

  /**
   * `name`, or a generated `<prefix><index>` without one (Kafka Streams'
   * `NamedInternal.orElseGenerateWithPrefix`). The index is drawn either way, so the nodes
   * generated later are numbered as in Kafka Streams.
   */
  private nameOrGenerate(name: string | undefined, prefix: string): string {
    const generated = this.internal.newName(prefix);
    return name ?? generated;
  }

  /** `name + suffix`, or a generated `<prefix><index>` (Kafka Streams' `NamedInternal.suffixWithOrElseGet`). */
  private suffixedOrGenerate(name: string | undefined, suffix: string, prefix: string): string {
    const generated = this.internal.newName(prefix);
    return name === undefined ? generated : `${name}${suffix}`;
  }

  /** Adds a state store that processors can be connected to by name. */
  addStateStore(builder: StoreBuilder): this {
    this.internal.addStateStore(builder);
    return this;
  }

  /** The topology built so far. */
  build(): Topology {
    return this.topology;
  }
}
