import { Serde } from '../../serialization/serde';
import { StoreBuilder } from '../store-builder';
import { FailOnInvalidTimestamp, TimestampExtractor } from '../timestamp-extractor';
import { InternalTopologyBuilder, Subtopology } from './internal-topology-builder';
import { ProcessorNode, ProcessorNodeImpl, SinkNode, SourceNode } from './processor-nodes';

/** What instantiating a sub-topology needs from the config. */
export interface TopologyEnv {
  readonly applicationId: string;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
  readonly defaultTimestampExtractor?: TimestampExtractor;
}

/** Prefixes internal topics with `<applicationId>-`, as Kafka Streams does. */
export function topicDecorator(
  builder: InternalTopologyBuilder,
  applicationId: string,
): (topic: string) => string {
  return (topic) => (builder.internalTopics.has(topic) ? `${applicationId}-${topic}` : topic);
}

/** The instantiated nodes of one sub-topology for one task. */
export class ProcessorTopology {
  private readonly sources = new Map<string, SourceNode>();
  private readonly patternSources: SourceNode[] = [];

  constructor(
    readonly subtopology: Subtopology,
    /** Nodes in creation order (parents before children). */
    readonly nodes: readonly ProcessorNode[],
    readonly storeBuilders: readonly StoreBuilder[],
    decorate: (topic: string) => string,
  ) {
    for (const n of nodes) {
      if (n instanceof SourceNode) {
        for (const t of n.topics) this.sources.set(decorate(t), n);
        if (n.pattern) this.patternSources.push(n);
      }
    }
  }

  sourceFor(topic: string): SourceNode | undefined {
    const s = this.sources.get(topic);
    if (s || this.patternSources.length === 0) return s;
    for (const p of this.patternSources) {
      if (p.pattern!.test(topic)) {
        this.sources.set(topic, p);
        return p;
      }
    }
    return undefined;
  }
}

/** Creates fresh node instances (and processors from their suppliers) for one task of a sub-topology. */
export function buildProcessorTopology(
  builder: InternalTopologyBuilder,
  subtopology: Subtopology,
  env: TopologyEnv,
): ProcessorTopology {
  const decorate = topicDecorator(builder, env.applicationId);
  const created = new Map<string, ProcessorNode>();
  const order = [...builder.nodes.keys()].filter((n) => subtopology.nodeNames.includes(n));
  for (const name of order) {
    const def = builder.nodes.get(name)!;
    let node: ProcessorNode;
    switch (def.kind) {
      case 'source':
        node = new SourceNode(
          def.name,
          def.topics ?? [],
          def.pattern,
          def.keyDeserializer ?? env.defaultKeySerde.deserializer(),
          def.valueDeserializer ?? env.defaultValueSerde.deserializer(),
          def.timestampExtractor ?? env.defaultTimestampExtractor ?? new FailOnInvalidTimestamp(),
        );
        break;
      case 'processor':
        node = new ProcessorNodeImpl(def.name, def.supplier.get(), [...def.stores]);
        break;
      case 'sink':
        node = new SinkNode(
          def.name,
          def.topic === undefined ? undefined : decorate(def.topic),
          def.extractor,
          def.keySerializer ?? env.defaultKeySerde.serializer(),
          def.valueSerializer ?? env.defaultValueSerde.serializer(),
          def.partitioner,
          decorate,
        );
        break;
    }
    created.set(name, node);
    if (def.kind !== 'source') for (const p of def.parents) created.get(p)!.addChild(node);
  }
  const stores = subtopology.storeNames.map(
    (s) => builder.storeBuilders.get(s) ?? builder.globalStoreBuilders.get(s)!,
  );
  return new ProcessorTopology(subtopology, [...created.values()], stores, decorate);
}
