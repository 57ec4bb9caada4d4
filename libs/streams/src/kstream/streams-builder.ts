import { InternalTopologyBuilder } from '../processor/internals/internal-topology-builder';
import { StoreBuilder } from '../processor/store-builder';
import { Topology } from '../processor/topology';
import { Consumed } from './consumed';
import { KStreamImpl, NAMES } from './internals/kstream-impl';
import { KStream } from './kstream';

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
    const name = f.name ?? this.internal.newName(NAMES.SOURCE);
    const list = typeof topics === 'string' ? [topics] : topics instanceof RegExp ? undefined : [...topics];
    if (list && list.some((t) => !t)) throw new Error('stream: topic names must not be empty');
    this.internal.addSource({
      name,
      topics: list,
      pattern: topics instanceof RegExp ? topics : undefined,
      keyDeserializer: f.keySerde?.deserializer() as any,
      valueDeserializer: f.valueSerde?.deserializer() as any,
      timestampExtractor: f.timestampExtractor,
      offsetReset: f.offsetReset,
    });
    return new KStreamImpl<K, V>(this.internal, name, f.keySerde, f.valueSerde, false);
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
