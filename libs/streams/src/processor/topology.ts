import { Deserializer, Serializer } from '../serialization/serde';
import { InternalTopologyBuilder } from './internals/internal-topology-builder';
import type { OffsetResetPolicy } from './offset-reset-policy';
import { ProcessorSupplier } from './processor';
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
