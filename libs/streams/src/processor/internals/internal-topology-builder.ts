import { StreamsConfigError } from '../../errors/config-error';
import { TopologyError } from '../../errors/topology-error';
import {
  describeOptimization,
  REUSE_KTABLE_SOURCE_TOPICS,
  type TopologyOptimizationRule,
} from '../../topology-optimization';
import { DescribedEdges, describeEdges } from './describe-order';
import { Deserializer, Serializer } from '../../serialization/serde';
import { ProcessorSupplier } from '../processor';
import { StoreBuilder } from '../store-builder';
import { StreamPartitioner } from '../stream-partitioner';
import { TimestampExtractor } from '../timestamp-extractor';
import { TopicNameExtractor } from '../topic-name-extractor';
import {
  GlobalStoreDescription,
  NodeDescription,
  SubtopologyDescription,
  TopologyDescription,
} from '../topology-description';

import type { OffsetResetPolicy } from '../offset-reset-policy';

export type { OffsetResetPolicy } from '../offset-reset-policy';

export interface SourceNodeDef {
  readonly kind: 'source';
  readonly name: string;
  readonly topics?: readonly string[];
  readonly pattern?: RegExp;
  readonly keyDeserializer?: Deserializer<unknown>;
  readonly valueDeserializer?: Deserializer<unknown>;
  readonly timestampExtractor?: TimestampExtractor;
  readonly offsetReset?: OffsetResetPolicy;
  readonly children: string[];
}

export interface ProcessorNodeDef {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  readonly parents: string[];
  readonly children: string[];
  readonly stores: Set<string>;
}

export interface SinkNodeDef {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic?: string;
  readonly extractor?: TopicNameExtractor<unknown, unknown>;
  readonly keySerializer?: Serializer<unknown>;
  readonly valueSerializer?: Serializer<unknown>;
  readonly partitioner?: StreamPartitioner<unknown, unknown>;
  readonly parents: string[];
}

export type NodeDef = SourceNodeDef | ProcessorNodeDef | SinkNodeDef;

/** An internal topic, named without the `<applicationId>-` prefix. */
export interface InternalTopicDef {
  readonly name: string;
  readonly type: 'repartition' | 'changelog';
  /** Fixed partition count; otherwise derived from the upstream source topics. */
  numPartitions?: number;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * A global store (Kafka Streams' `addGlobalStore`): a source reading every partition of `topic` on
 * every instance into one processor that updates `storeName`. Its sub-topology generates no tasks.
 */
export interface GlobalStoreDef {
  /** Id of its sub-topology (numbered with the others, as Kafka Streams numbers node groups). */
  readonly id: number;
  readonly storeName: string;
  readonly sourceName: string;
  readonly processorName: string;
  readonly topic: string;
  /**
   * Kafka Streams' `reprocessOnRestore`: false for the DSL's global tables, whose bootstrap writes
   * the topic's records straight into the (timestamped) store, as a changelog; true runs them
   * through the processor.
   */
  readonly reprocessOnRestore: boolean;
}

/** One connected component of the graph, with what the runtime needs to run it. */
export interface Subtopology {
  readonly id: number;
  readonly nodeNames: readonly string[];
  /** Source topics as written in the topology (internal ones undecorated). */
  readonly sourceTopics: readonly string[];
  readonly sourcePatterns: readonly RegExp[];
  /** Static sink topics (undecorated). */
  readonly sinkTopics: readonly string[];
  readonly storeNames: readonly string[];
  /**
   * Stores whose changelog is one of this sub-topology's source topics (`reuse.ktable.source.topics`),
   * by store name (Kafka Streams' source changelogs, `ProcessorStateManager.changelogAsSource`).
   */
  readonly sourceChangelogs: ReadonlyMap<string, string>;
}

/** A `StreamsBuilder.table` store that may use its source topic as changelog. */
interface TableSourceStore {
  readonly topic: string;
  /** Turns the store's logging off (its builder's `withLoggingDisabled`). */
  readonly disableLogging: () => void;
}

/**
 * The processor graph behind both the DSL and the Processor API (Kafka Streams'
 * `InternalTopologyBuilder`). Holds node definitions; the runtime instantiates them per task.
 */
export class InternalTopologyBuilder {
  readonly nodes = new Map<string, NodeDef>();
  readonly storeBuilders = new Map<string, StoreBuilder>();
  readonly internalTopics = new Map<string, InternalTopicDef>();
  readonly copartitionGroups: string[][] = [];
  /** Builders of the global stores, by store name (never in {@link storeBuilders}). */
  readonly globalStoreBuilders = new Map<string, StoreBuilder>();
  /** Source and processor nodes of the global stores. */
  private readonly globalNodes = new Set<string>();
  private readonly rawRestoredGlobalStores = new Set<string>();
  /** Stores of `StreamsBuilder.table` sources, by store name. */
  private readonly tableSourceStores = new Map<string, TableSourceStore>();
  /** Stores that use their source topic as changelog, once optimized (Kafka Streams' `storeToChangelogTopic` entries). */
  private readonly sourceChangelogTopics = new Map<string, string>();
  /** The optimizations applied ({@link optimize}), as text; undefined before. */
  private optimizedWith: string | undefined;
  private index = 0;
  private cachedSubtopologies: Subtopology[] | null = null;
  private cachedGlobalStores: GlobalStoreDef[] = [];

  /** Next generated node name, e.g. `KSTREAM-MAPVALUES-0000000001`. */
  newName(prefix: string): string {
    return `${prefix}${String(this.index++).padStart(10, '0')}`;
  }

  /** Next generated suffix only (used for internal topic names). */
  nextIndex(): number {
    return this.index++;
  }

  addSource(def: Omit<SourceNodeDef, 'kind' | 'children'>): void {
    this.checkNewName(def.name);
    if (!def.pattern && (!def.topics || def.topics.length === 0)) {
      throw new TopologyError(`Source "${def.name}" needs at least one topic or a pattern`);
    }
    for (const t of def.topics ?? []) {
      for (const n of this.nodes.values()) {
        if (n.kind === 'source' && n.topics?.includes(t)) {
          throw new TopologyError(
            `Topic "${t}" is already read by source "${n.name}"; a topic can feed only one source node`,
          );
        }
      }
    }
    this.nodes.set(def.name, { ...def, kind: 'source', children: [] });
    this.invalidate();
  }

  /**
   * Adds a global store (Kafka Streams' `InternalTopologyBuilder.addGlobalStore`): source
   * `source.name` reads `topic` (all partitions, on every instance) into processor `processorName`,
   * which alone may write `storeBuilder`'s store. The topic is the store's changelog: the store must
   * not log to another one.
   */
  addGlobalStore(
    storeBuilder: StoreBuilder,
    source: Omit<SourceNodeDef, 'kind' | 'children' | 'topics' | 'pattern' | 'offsetReset'>,
    topic: string,
    processorName: string,
    supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>,
    reprocessOnRestore = true,
  ): void {
    if (!topic) throw new TopologyError('Global store source topic must not be empty');
    if (storeBuilder.loggingEnabled)
      throw new TopologyError(
        `StateStore ${storeBuilder.name} for global table must not have logging enabled`,
      );
    if (this.storeBuilders.has(storeBuilder.name) || this.globalStoreBuilders.has(storeBuilder.name))
      throw new TopologyError(`State store "${storeBuilder.name}" is already added`);
    this.checkNewName(processorName);
    if (processorName === source.name)
      throw new TopologyError(`Node "${processorName}" is already in the topology`);
    this.addSource({ ...source, topics: [topic] });
    this.nodes.set(processorName, {
      kind: 'processor',
      name: processorName,
      supplier,
      parents: [source.name],
      children: [],
      stores: new Set([storeBuilder.name]),
    });
    (this.nodes.get(source.name) as SourceNodeDef).children.push(processorName);
    this.globalNodes.add(source.name);
    this.globalNodes.add(processorName);
    this.globalStoreBuilders.set(storeBuilder.name, storeBuilder);
    if (!reprocessOnRestore) this.rawRestoredGlobalStores.add(storeBuilder.name);
    this.invalidate();
  }

  /** True when `name` is a node of a global store. */
  isGlobalNode(name: string): boolean {
    return this.globalNodes.has(name);
  }

  /** The global stores, by sub-topology id. */
  globalStores(): GlobalStoreDef[] {
    this.subtopologies();
    return this.cachedGlobalStores;
  }

  /** Topics read by global stores. */
  globalTopics(): string[] {
    return this.globalStores().map((g) => g.topic);
  }

  addProcessor(
    name: string,
    supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>,
    ...parentNames: string[]
  ): void {
    this.checkNewName(name);
    if (parentNames.length === 0) throw new TopologyError(`Processor "${name}" needs at least one parent`);
    this.checkParents(name, parentNames);
    this.nodes.set(name, {
      kind: 'processor',
      name,
      supplier,
      parents: [...parentNames],
      children: [],
      stores: new Set(),
    });
    for (const p of parentNames) (this.nodes.get(p) as SourceNodeDef | ProcessorNodeDef).children.push(name);
    for (const sb of supplier.stores?.() ?? []) {
      if (!this.storeBuilders.has(sb.name)) this.addStateStore(sb);
      this.connectProcessorAndStateStores(name, sb.name);
    }
    this.invalidate();
  }

  addSink(def: Omit<SinkNodeDef, 'kind' | 'parents'>, ...parentNames: string[]): void {
    this.checkNewName(def.name);
    if (parentNames.length === 0) throw new TopologyError(`Sink "${def.name}" needs at least one parent`);
    if (!def.topic && !def.extractor)
      throw new TopologyError(`Sink "${def.name}" needs a topic or a topic name extractor`);
    this.checkParents(def.name, parentNames);
    this.nodes.set(def.name, { ...def, kind: 'sink', parents: [...parentNames] });
    for (const p of parentNames)
      (this.nodes.get(p) as SourceNodeDef | ProcessorNodeDef).children.push(def.name);
    this.invalidate();
  }

  addStateStore(builder: StoreBuilder, ...processorNames: string[]): void {
    if (this.storeBuilders.has(builder.name))
      throw new TopologyError(`State store "${builder.name}" is already added`);
    this.storeBuilders.set(builder.name, builder);
    if (processorNames.length) this.connectProcessorAndStateStores(processorNames[0], builder.name);
    for (const p of processorNames.slice(1)) this.connectProcessorAndStateStores(p, builder.name);
    this.invalidate();
  }

  connectProcessorAndStateStores(processorName: string, ...storeNames: string[]): void {
    const node = this.nodes.get(processorName);
    if (!node || node.kind !== 'processor')
      throw new TopologyError(`Processor "${processorName}" is not in the topology`);
    for (const s of storeNames) {
      if (this.globalStoreBuilders.has(s))
        throw new TopologyError(
          `Global StateStore ${s} can be used by a Processor without being specified; it should not be explicitly passed.`,
        );
      if (!this.storeBuilders.has(s))
        throw new TopologyError(`State store "${s}" is not added to the topology`);
      node.stores.add(s);
    }
    this.invalidate();
  }

  /**
   * Marks `storeName` as the store of a `StreamsBuilder.table(topic)` source (Kafka Streams'
   * `TableSourceNode`), so that `reuse.ktable.source.topics` can make `topic` its changelog.
   */
  addTableSourceStore(storeName: string, topic: string, disableLogging: () => void): void {
    this.tableSourceStores.set(storeName, { topic, disableLogging });
  }

  /**
   * Applies the topology optimizations (Kafka Streams' `InternalStreamsBuilder.optimizeTopology`, run
   * by `StreamsBuilder.build(props)`), once per topology: called by the runtime and the test driver
   * with the config's `topologyOptimization`. `reuse.ktable.source.topics`: every materialized
   * table-source store has its logging disabled and its source topic as changelog (Kafka Streams'
   * `TableSourceNode.reuseSourceTopicForChangeLog`, `connectSourceStoreAndTopic`). A second call with
   * other rules throws (the topology already runs with the first ones).
   */
  optimize(rules: ReadonlySet<TopologyOptimizationRule>): void {
    const text = describeOptimization(rules);
    if (this.optimizedWith !== undefined) {
      if (this.optimizedWith === text) return;
      throw new StreamsConfigError(
        'topologyOptimization',
        `"${text}" differs from "${this.optimizedWith}", which this topology was already started with; build the topology again`,
      );
    }
    this.optimizedWith = text;
    if (!rules.has(REUSE_KTABLE_SOURCE_TOPICS)) return;
    for (const [store, source] of this.tableSourceStores) {
      // Only a materialized table has a store (Kafka Streams: `if (tableSource.materialized())`).
      if (!this.storeBuilders.has(store)) continue;
      source.disableLogging();
      this.sourceChangelogTopics.set(store, source.topic);
    }
    this.invalidate();
  }

  addInternalTopic(
    name: string,
    type: InternalTopicDef['type'],
    numPartitions?: number,
    config: Record<string, string> = {},
  ): void {
    this.internalTopics.set(name, { name, type, numPartitions, config });
  }

  /** Declares topics that must have the same partition count (checked at start). */
  copartitionSources(topics: string[]): void {
    this.copartitionGroups.push([...topics]);
  }

  /** Source nodes of the sub-topologies that generate tasks (global stores' sources excluded). */
  sourceNodes(): SourceNodeDef[] {
    return [...this.nodes.values()].filter(
      (n): n is SourceNodeDef => n.kind === 'source' && !this.globalNodes.has(n.name),
    );
  }

  /** The sub-topology with `id` (a task's), or `undefined` (unknown, or a global store's). */
  subtopology(id: number): Subtopology | undefined {
    return this.subtopologies().find((s) => s.id === id);
  }

  /**
   * Sub-topologies that generate tasks: connected components (nodes linked by edges or a shared
   * store), numbered by source name; global stores' components take their number too (see
   * {@link globalStores}) but are not listed, as in Kafka Streams.
   */
  subtopologies(): Subtopology[] {
    if (this.cachedSubtopologies) return this.cachedSubtopologies;
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(x, r);
      return r;
    };
    const union = (a: string, b: string) => parent.set(find(a), find(b));
    for (const n of this.nodes.keys()) parent.set(n, n);
    const storeOwner = new Map<string, string>();
    for (const n of this.nodes.values()) {
      if (n.kind !== 'source') for (const p of n.parents) union(n.name, p);
      if (n.kind === 'processor') {
        for (const s of n.stores) {
          const other = storeOwner.get(s);
          if (other) union(n.name, other);
          else storeOwner.set(s, n.name);
        }
      }
    }
    const groups = new Map<string, string[]>();
    const sorted = [...this.nodes.keys()].sort(compareNames);
    const sortedSources = sorted.filter((n) => this.nodes.get(n)!.kind === 'source');
    const rootOrder: string[] = [];
    for (const n of [...sortedSources, ...sorted]) {
      const r = find(n);
      if (!groups.has(r)) {
        groups.set(r, []);
        rootOrder.push(r);
      }
    }
    for (const n of sorted) groups.get(find(n))!.push(n);
    const globals: GlobalStoreDef[] = [];
    const all = rootOrder.map((r, id): Subtopology | undefined => {
      const names = groups.get(r)!;
      const defs = names.map((n) => this.nodes.get(n)!);
      const globalSource = defs.find((d) => d.kind === 'source' && this.globalNodes.has(d.name));
      if (globalSource) {
        const proc = this.nodes.get((globalSource as SourceNodeDef).children[0]) as ProcessorNodeDef;
        globals.push({
          id,
          storeName: [...proc.stores][0],
          sourceName: globalSource.name,
          processorName: proc.name,
          topic: (globalSource as SourceNodeDef).topics![0],
          reprocessOnRestore: !this.rawRestoredGlobalStores.has([...proc.stores][0]),
        });
        return undefined;
      }
      const stores = new Set<string>();
      for (const d of defs) if (d.kind === 'processor') d.stores.forEach((s) => stores.add(s));
      return {
        id,
        nodeNames: names,
        sourceTopics: defs.flatMap((d) => (d.kind === 'source' ? [...(d.topics ?? [])] : [])),
        sourcePatterns: defs.flatMap((d) => (d.kind === 'source' && d.pattern ? [d.pattern] : [])),
        sinkTopics: defs.flatMap((d) => (d.kind === 'sink' && d.topic ? [d.topic] : [])),
        // In the order the stores were added (upstream first in the DSL), as Kafka Streams
        // registers them: a commit flushes upstream caches before the downstream caches they feed.
        storeNames: [...this.storeBuilders.keys()].filter((s) => stores.has(s)),
        sourceChangelogs: new Map([...this.sourceChangelogTopics].filter(([store]) => stores.has(store))),
      };
    });
    this.cachedGlobalStores = globals;
    this.cachedSubtopologies = all.filter((s): s is Subtopology => s !== undefined);
    return this.cachedSubtopologies;
  }

  describe(): TopologyDescription {
    const subs = this.subtopologies().map((s) => this.describeSubtopology(s));
    const globals = this.globalStores().map((g) => this.describeGlobalStore(g));
    const all = [...subs, ...globals].sort((a, b) => a.id - b.id);
    return {
      subtopologies: subs,
      globalStores: globals,
      toString: () => `Topologies:\n ${all.map((s) => s.toString()).join('')}`,
    };
  }

  private describeGlobalStore(g: GlobalStoreDef): GlobalStoreDescription {
    const source: NodeDescription = {
      type: 'source',
      name: g.sourceName,
      predecessors: [],
      successors: [g.processorName],
      topics: [g.topic],
      toString: () => `Source: ${g.sourceName} (topics: [${g.topic}])\n      --> ${g.processorName}`,
    };
    const processor: NodeDescription = {
      type: 'processor',
      name: g.processorName,
      predecessors: [g.sourceName],
      successors: [],
      stores: [g.storeName],
      toString: () =>
        `Processor: ${g.processorName} (stores: [${g.storeName}])\n      --> none\n      <-- ${g.sourceName}`,
    };
    return {
      id: g.id,
      source,
      processor,
      toString: () =>
        `  Sub-topology: ${g.id} for global store (will not generate tasks)\n    ${source.toString()}\n    ${processor.toString()}\n`,
    };
  }

  private describeSubtopology(s: Subtopology): SubtopologyDescription {
    const members = new Set(s.nodeNames);
    // In the order the nodes were added (Kafka Streams' node factories are a LinkedHashMap).
    const added = [...this.nodes.keys()].filter((n) => members.has(n));
    const edges = describeEdges(added, (n) => {
      const node = this.nodes.get(n)!;
      return node.kind === 'source' ? [] : node.parents;
    });
    const order = (a: string, b: string) => edges.size(b) - edges.size(a) || compareNames(a, b);
    const nodes = [...s.nodeNames].sort(order).map((n) => this.describeNode(this.nodes.get(n)!, edges));
    return {
      id: s.id,
      nodes,
      toString: () => `  Sub-topology: ${s.id}\n${nodes.map((n) => `    ${n.toString()}\n`).join('')}\n`,
    };
  }

  private describeNode(n: NodeDef, edges: DescribedEdges): NodeDescription {
    const names = (xs: readonly string[]) => (xs.length === 0 ? 'none' : xs.join(', '));
    const successors = edges.successors(n.name);
    const predecessors = edges.predecessors(n.name);
    switch (n.kind) {
      case 'source': {
        const topics = n.pattern ? n.pattern.source : `[${(n.topics ?? []).join(', ')}]`;
        return {
          type: 'source',
          name: n.name,
          predecessors: [],
          successors,
          topics: n.topics,
          topicPattern: n.pattern,
          toString: () => `Source: ${n.name} (topics: ${topics})\n      --> ${names(successors)}`,
        };
      }
      case 'processor':
        return {
          type: 'processor',
          name: n.name,
          predecessors,
          successors,
          stores: [...n.stores],
          toString: () =>
            `Processor: ${n.name} (stores: [${[...n.stores].join(', ')}])\n      --> ${names(successors)}\n      <-- ${names(predecessors)}`,
        };
      case 'sink': {
        const target =
          n.topic !== undefined
            ? `topic: ${n.topic}`
            : `extractor class: ${n.extractor?.name || 'anonymous'}`;
        return {
          type: 'sink',
          name: n.name,
          predecessors,
          successors: [],
          topic: n.topic,
          toString: () => `Sink: ${n.name} (${target})\n      <-- ${names(predecessors)}`,
        };
      }
    }
  }

  private checkNewName(name: string): void {
    if (!name) throw new TopologyError('Node name must not be empty');
    if (this.nodes.has(name)) throw new TopologyError(`Node "${name}" is already in the topology`);
  }

  private checkParents(name: string, parents: string[]): void {
    for (const p of parents) {
      if (p === name) throw new TopologyError(`Node "${name}" cannot be its own parent`);
      const node = this.nodes.get(p);
      if (!node) throw new TopologyError(`Parent "${p}" of "${name}" is not in the topology`);
      if (node.kind === 'sink') throw new TopologyError(`Sink "${p}" cannot be the parent of "${name}"`);
    }
  }

  private invalidate(): void {
    this.cachedSubtopologies = null;
  }
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
