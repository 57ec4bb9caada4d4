import { Deserializer, Serializer } from '../serialization/serde';
import { TopologyError } from '../errors/topology-error';
import { InternalTopologyBuilder } from './internals/internal-topology-builder';
import type { OffsetResetPolicy } from './offset-reset-policy';
import { Processor, ProcessorSupplier } from './processor';
import { StoreBuilder } from './store-builder';
import { StreamPartitioner } from './stream-partitioner';
import { TimestampExtractor } from './timestamp-extractor';
import { TopicNameExtractor } from './topic-name-extractor';
import { TopologyDescription } from './topology-description';

/** Options of `Topology.addSource`. */
export interface SourceOptions {
  readonly name: string;
  /** Topic names, or a pattern to subscribe to. */
  readonly topics: readonly string[] | RegExp;
  readonly keyDeserializer?: Deserializer<unknown>;
  readonly valueDeserializer?: Deserializer<unknown>;
  readonly timestampExtractor?: TimestampExtractor;
  readonly offsetReset?: OffsetResetPolicy;
}

/**
 * The processor of a global store: it updates the store and forwards nothing (Kafka Streams'
 * `ProcessorSupplier<KIn, VIn, Void, Void>`); a supplier object or a factory function.
 */
export type GlobalStoreProcessorSupplier<KIn, VIn> =
  ProcessorSupplier<KIn, VIn, never, never> | (() => Processor<KIn, VIn, never, never>);

/**
 * A processor graph: sources, processors, sinks and state stores (Kafka Streams' `Topology`).
 * Built by `StreamsBuilder.build()` or by hand with the Processor API.
 */
export class Topology {
  /** @internal The graph shared with the DSL and the runtime. */
  readonly internal: InternalTopologyBuilder;

  constructor(internal?: InternalTopologyBuilder) {
    this.internal = internal ?? new InternalTopologyBuilder();
  }

  /** Adds a source node reading `topics` (a list or a RegExp). */
  addSource(options: SourceOptions): this {
    const { topics, ...rest } = options;
    this.internal.addSource(
      topics instanceof RegExp ? { ...rest, pattern: topics } : { ...rest, topics: [...topics] },
    );
    return this;
  }

  /** Adds a processor fed by `parentNames`. */
  addProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    supplier:
      ProcessorSupplier<KIn, VIn, KOut, VOut> | (() => import('./processor').Processor<KIn, VIn, KOut, VOut>),
    ...parentNames: string[]
  ): this {
    const s: ProcessorSupplier<KIn, VIn, KOut, VOut> =
      typeof supplier === 'function' ? { get: supplier } : supplier;
    this.internal.addProcessor(name, s, ...parentNames);
    return this;
  }

  /** Adds a sink writing to `topic` (or the topic an extractor picks) from `parentNames`. */
  addSink<K, V>(
    name: string,
    topic: string | TopicNameExtractor<K, V>,
    keySerializer: Serializer<K> | undefined,
    valueSerializer: Serializer<V> | undefined,
    partitioner: StreamPartitioner<K, V> | undefined,
    ...parentNames: string[]
  ): this {
    this.internal.addSink(
      {
        name,
        topic: typeof topic === 'string' ? topic : undefined,
        extractor: typeof topic === 'string' ? undefined : (topic as TopicNameExtractor<unknown, unknown>),
        keySerializer: keySerializer as Serializer<unknown> | undefined,
        valueSerializer: valueSerializer as Serializer<unknown> | undefined,
        partitioner,
      },
      ...parentNames,
    );
    return this;
  }

  /** Adds a state store, optionally connecting it to processors. */
  addStateStore(builder: StoreBuilder, ...processorNames: string[]): this {
    this.internal.addStateStore(builder, ...processorNames);
    return this;
  }

  /**
   * Adds a global store (Kafka Streams' `Topology.addGlobalStore`): source `sourceName` reads every
   * partition of `topic` on every instance, from before the stream threads start (the instance is
   * RUNNING only once the store has caught up with the topic) and then continuously, into processor
   * `processorName`, which alone updates the store (`context.getStateStore(storeBuilder.name)`);
   * every processor of the topology can read it. The topic is the store's changelog: the builder
   * must have logging disabled (`withLoggingDisabled()`), else a `TopologyError`. On restart (or
   * bootstrap) the records are run through the processor again (Kafka Streams' reprocess on
   * restore); a persistent store resumes from its checkpoint. Missing deserializers mean the
   * configured default serdes'.
   */
  addGlobalStore<KIn, VIn>(
    storeBuilder: StoreBuilder,
    sourceName: string,
    keyDeserializer: Deserializer<KIn> | undefined,
    valueDeserializer: Deserializer<VIn> | undefined,
    topic: string,
    processorName: string,
    stateUpdateSupplier: GlobalStoreProcessorSupplier<KIn, VIn>,
  ): this;
  /** As above, with the timestamp extractor of the global source. */
  addGlobalStore<KIn, VIn>(
    storeBuilder: StoreBuilder,
    sourceName: string,
    timestampExtractor: TimestampExtractor | undefined,
    keyDeserializer: Deserializer<KIn> | undefined,
    valueDeserializer: Deserializer<VIn> | undefined,
    topic: string,
    processorName: string,
    stateUpdateSupplier: GlobalStoreProcessorSupplier<KIn, VIn>,
  ): this;
  addGlobalStore(storeBuilder: StoreBuilder, sourceName: string, ...rest: unknown[]): this {
    const withExtractor = rest.length === 6;
    const [timestampExtractor, keyDeserializer, valueDeserializer, topic, processorName, supplier] = (
      withExtractor ? rest : [undefined, ...rest]
    ) as [
      TimestampExtractor | undefined,
      Deserializer<unknown> | undefined,
      Deserializer<unknown> | undefined,
      string,
      string,
      GlobalStoreProcessorSupplier<unknown, unknown>,
    ];
    if (typeof topic !== 'string' || typeof processorName !== 'string' || !supplier)
      throw new TopologyError(
        'addGlobalStore(storeBuilder, sourceName, [timestampExtractor,] keyDeserializer, valueDeserializer, topic, processorName, stateUpdateSupplier)',
      );
    const s: ProcessorSupplier<unknown, unknown, never, never> =
      typeof supplier === 'function' ? { get: supplier } : supplier;
    this.internal.addGlobalStore(
      storeBuilder,
      { name: sourceName, keyDeserializer, valueDeserializer, timestampExtractor },
      topic,
      processorName,
      s,
      true,
    );
    return this;
  }

  /** Gives processors access to already-added stores. */
  connectProcessorAndStateStores(processorName: string, ...storeNames: string[]): this {
    this.internal.connectProcessorAndStateStores(processorName, ...storeNames);
    return this;
  }

  /** Describes sub-topologies, nodes and links in Kafka Streams' text format (`describe().toString()`). */
  describe(): TopologyDescription {
    return this.internal.describe();
  }
}
