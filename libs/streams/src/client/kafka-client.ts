/**
 * The narrow seam between the streams runtime and a Kafka client. The runtime only uses these
 * types; `kafkajs/` is the one implementation today, so another client can be measured side by
 * side by implementing `KafkaClientFactory`, without touching the DSL, stores or services.
 */
import type { UndecodableBatchError } from '../errors/undecodable-batch-error';
import { Headers } from '../serialization/serde';
import type { CompressionType } from './compression/compression-type';

/** A record fetched from Kafka. */
export interface FetchedRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  /**
   * Set when this record stands for a whole batch the client could not decompress or decode (key
   * and value null, offset the batch's last): the runtime routes it to the deserialization handler.
   */
  readonly undecodable?: UndecodableBatchError;
}

/** Records of one topic-partition, in offset order. */
export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly records: FetchedRecord[];
}

/** Callbacks the consumer gives the batch handler. */
export interface BatchControl {
  /** Keeps the group membership alive during long processing (throttled by the client). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or rebalancing (stop early). */
  isRunning(): boolean;
}

/** A record to produce. */
export interface ProduceRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Acknowledged position of produced records: the base offset of each topic-partition batch. */
export interface ProduceAck {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: number;
  readonly count: number;
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** Next offset to read. */
  readonly offset: number;
}

/** Assigns partitions to group members; members sorted, partitions per topic known. */
export type PartitionAssignor = (
  memberIds: string[],
  partitionsByTopic: Map<string, number>,
  /** Each member's subscription userData (see `ConsumerSettings.userData`). */
  userData?: Map<string, Buffer>,
) => Map<string, Map<string, number[]>>;

export interface ConsumerSubscription {
  readonly topics: Array<string | RegExp>;
  readonly fromBeginning: boolean;
}

export interface ConsumerSettings {
  readonly groupId: string;
  readonly clientId: string;
  readonly assignor: PartitionAssignor;
  /** Client-specific options passed through (kafkajs: sessionTimeout, heartbeatInterval, maxBytes, ...). */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * Join the group only to ask every member to shut down (Kafka Streams' SHUTDOWN_APPLICATION):
   * the request travels in the member metadata; the group leader answers with a shutdown signal in
   * every member's assignment, reported through `ConsumerListener.onShutdownRequested`.
   */
  readonly requestShutdown?: boolean;
  /**
   * Opaque member userData sent in the subscription, computed at each join when a function (the
   * streams runtime puts `applicationServer` and the partitions it ran last there).
   */
  readonly userData?: Buffer | (() => Buffer);
  /**
   * Static membership (Kafka's `group.instance.id`, KIP-345): a member that closes and returns
   * within the session timeout gets its assignment back without a rebalance. Clients without
   * static membership (kafkajs) refuse it.
   */
  readonly groupInstanceId?: string;
  /**
   * `eager` (default): every rebalance revokes every partition. `cooperative` (KIP-429): partitions
   * that stay with a member keep being processed through a rebalance. Not every client has it.
   */
  readonly rebalanceProtocol?: RebalanceProtocol;
}

/** How a consumer group rebalances. */
export type RebalanceProtocol = 'eager' | 'cooperative';

/** One member of a consumer group as the coordinator describes it (after a completed rebalance). */
export interface GroupMemberDescription {
  readonly memberId: string;
  /** The userData of the member's subscription. */
  readonly userData: Buffer;
  /** Assigned partitions per topic (empty while the group is rebalancing). */
  readonly assignment: Map<string, number[]>;
}

/** Group-membership events the runtime listens to. */
export interface ConsumerListener {
  onAssigned?(assignment: Map<string, number[]>): void;
  /**
   * The group rebalances: awaited before the member rejoins, while it still holds its generation
   * and no batch is being processed (Kafka's `onPartitionsRevoked`). The runtime commits what it
   * processed there, so that whoever gets a partition next (this member or another) starts after
   * the records already processed.
   */
  onRebalancing?(): void | Promise<void>;
  /** The consumer died outside of the batch handler (connection lost for good, ...). */
  onCrash?(error: Error): void;
  /** A member of the group asked every member to shut down (SHUTDOWN_APPLICATION). */
  onShutdownRequested?(): void;
}

export interface StreamsConsumer {
  connect(): Promise<void>;
  subscribe(subscriptions: ConsumerSubscription[]): Promise<void>;
  /** Starts fetching; `handler` is called per batch, sequentially. */
  run(
    handler: (batch: FetchedBatch, control: BatchControl) => Promise<void>,
    listener: ConsumerListener,
  ): Promise<void>;
  commit(offsets: TopicPartitionOffset[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** Producer settings every client implements (client-specific options travel separately). */
export interface ProducerSettings {
  /** Codec of the record batches this producer writes (Kafka's `compression.type`). Default `none`. */
  readonly compression?: CompressionType;
}

export interface StreamsProducer {
  connect(): Promise<void>;
  /** Sends records (any topics); resolves once all are acknowledged by the brokers (acks=all). */
  send(records: ProduceRecord[]): Promise<ProduceAck[]>;
  disconnect(): Promise<void>;
}

export interface NewTopic {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface StreamsAdmin {
  connect(): Promise<void>;
  /** Partition count per existing topic (absent topics are left out). */
  partitionCounts(topics: string[]): Promise<Map<string, number>>;
  listTopics(): Promise<string[]>;
  /** Creates topics that do not exist yet; ignores "already exists". */
  createTopics(topics: NewTopic[]): Promise<void>;
  /** High watermark (end offset) per partition. */
  endOffsets(topic: string): Promise<Map<number, number>>;
  /** Committed offsets of a group for a topic (-1 when none). */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, number>>;
  /** Members of a group with their subscription userData and assignment; `state` is the group state. */
  describeGroup(groupId: string): Promise<{ state: string; members: GroupMemberDescription[] }>;
  disconnect(): Promise<void>;
}

/** Connection settings common to every client. */
export interface ClientConnection {
  readonly bootstrapServers: string[];
  readonly clientId: string;
  readonly ssl?: unknown;
  readonly sasl?: unknown;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly logger: import('../logger').Logger;
}

/** Records of one partition read by a {@link GlobalConsumer}, with the position after them. */
export interface GlobalFetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: FetchedRecord[];
  /** Next offset to read after this batch (past any control records or compacted gaps). */
  readonly nextOffset: number;
}

/**
 * Reads every partition of some topics outside of any application group, as Kafka Streams' global
 * consumer does with manual assignment: each partition from a given position (or its beginning),
 * then continuously, until stopped. Nothing is committed.
 */
export interface GlobalConsumer {
  /**
   * Starts reading `topics`; a partition listed in `positions` starts at that offset (the next one
   * to read), the others at their beginning. `onBatch` is called per partition batch, one at a time;
   * resolves once reading has started.
   */
  run(
    topics: readonly string[],
    positions: readonly TopicPartitionOffset[],
    onBatch: (batch: GlobalFetchedBatch) => Promise<void>,
    listener: { onCrash?(error: Error): void },
  ): Promise<void>;
  /** Stops reading (waits for the batch in progress) and disconnects. */
  stop(): Promise<void>;
}

/** Creates the clients of one `KafkaStreams` instance. */
export interface KafkaClientFactory {
  consumer(settings: ConsumerSettings): StreamsConsumer;
  producer(options?: Readonly<Record<string, unknown>>, settings?: ProducerSettings): StreamsProducer;
  admin(): StreamsAdmin;
  /**
   * The consumer of global tables (`StreamsBuilder.globalTable`); a client without it cannot run
   * topologies with global stores (the start fails naming the client).
   */
  globalConsumer?(settings: {
    readonly clientId: string;
    readonly options?: Readonly<Record<string, unknown>>;
  }): GlobalConsumer;
  /**
   * Reads a partition from an offset to its current end, for changelog restoration.
   * Resolves with the next offset.
   */
  readPartition(
    topic: string,
    partition: number,
    fromOffset: number,
    onBatch: (records: FetchedRecord[]) => void | Promise<void>,
  ): Promise<number>;
}
