/**
 * A printable description of a topology, in Kafka Streams' `TopologyDescription` format:
 *
 * ```
 * Topologies:
 *    Sub-topology: 0
 *     Source: KSTREAM-SOURCE-0000000000 (topics: [src-topic])
 *       --> KSTREAM-MAPVALUES-0000000001
 *     ...
 * ```
 */
export interface TopologyDescription {
  readonly subtopologies: readonly SubtopologyDescription[];
  /** Global stores, each a source and its processor (printed as a sub-topology that generates no tasks). */
  readonly globalStores: readonly GlobalStoreDescription[];
  toString(): string;
}

/** A global store's sub-topology (Kafka Streams' `TopologyDescription.GlobalStore`). */
export interface GlobalStoreDescription {
  readonly id: number;
  readonly source: NodeDescription;
  readonly processor: NodeDescription;
  toString(): string;
}

/** One connected component of the processor graph. */
export interface SubtopologyDescription {
  readonly id: number;
  readonly nodes: readonly NodeDescription[];
  toString(): string;
}

/** A source, processor or sink of a sub-topology. */
export interface NodeDescription {
  readonly type: 'source' | 'processor' | 'sink';
  readonly name: string;
  readonly predecessors: readonly string[];
  readonly successors: readonly string[];
  /** Source: subscribed topics (or a pattern); sink: its topic; processor: none. */
  readonly topics?: readonly string[];
  readonly topicPattern?: RegExp;
  readonly topic?: string;
  readonly stores?: readonly string[];
  toString(): string;
}
