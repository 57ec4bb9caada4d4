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

/**
 * Records of one topic-partition, in offset order. A batch may hold no records: a fetch that
 * returned only control records (transaction markers) or records of aborted transactions is handed
 * over empty, with the position past them in `nextOffset`.
 */
export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly records: FetchedRecord[];
  /**
   * The consumer's position once the batch is processed (Kafka's `consumer.position()`): the next
   * offset to fetch, past any control records or aborted records that ended the fetch. The runtime
   * commits it once every record of the batch is processed, as Kafka Streams does, so the committed
   * offset reaches the log end offset after a trailing transaction marker (consumer lag 0). When
   * absent: the last record's offset + 1.
   */
  readonly nextOffset?: number;
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

/**
 * The consumer's group membership as KIP-447 has a transactional producer send it with the offsets
 * it commits (TxnOffsetCommit v3+), so the broker refuses a commit from a member that lost its
 * partitions.
 */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  /** -1 when unknown (the client does not expose it). */
  readonly generationId: number;
  /** `""` when unknown. */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** Which optional capabilities a client has (checked when the runtime starts). */
export interface ClientCapabilities {
  /** Name and version of the client, for messages (e.g. `kafkajs 2.2.4`). */
  readonly client: string;
  /** Transactional producers: begin, send, offsets in the transaction, commit, abort. */
  readonly transactions: boolean;
  /**
   * The offsets committed in a transaction carry the consumer's group metadata (KIP-447,
   * TxnOffsetCommit v3+), so a fenced group member's transaction cannot commit its offsets.
   */
  readonly transactionalOffsetsWithGroupMetadata: boolean;
  /**
   * The consumer rejoins a rebalancing group only after the listener's `onRebalancing` settled,
   * however long it takes (Kafka's `onPartitionsRevoked`): under exactly-once the runtime then lets
   * processing go on beside a commit, and commits what was processed meanwhile before the rejoin.
   */
  readonly rejoinAwaitsRebalancing?: boolean;
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
   * `read_committed` (only committed transactional records, up to the last stable offset) or
   * `read_uncommitted`; the client's default when omitted. `exactly_once_v2` asks for `read_committed`.
   */
  readonly isolationLevel?: 'read_committed' | 'read_uncommitted';
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
  /**
   * Bytes the consumer may fetch ahead while the handler processes a batch (the next fetch goes out
   * at once instead of after the batch), so fetching overlaps processing. What is fetched ahead is
   * handed over only where it is still next: never for a partition sought, paused or revoked
   * meanwhile. 0 or unset: fetch only after the batch. Clients without it ignore it (kafkajs has it).
   */
  readonly prefetchMaxBytes?: number;
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
   * Partitions are revoked (Kafka's `onPartitionsRevoked`), awaited before the member rejoins: under
   * the eager protocol at every rebalance, before the JoinGroup, while the member still holds its
   * generation (every partition is revoked); under the cooperative protocol only when a join's
   * assignment lacks partitions the member held (then with the new generation, before the follow-up
   * JoinGroup). The runtime commits what it processed there, so that whoever gets a partition next
   * (this member or another) starts after the records already processed.
   */
  onRebalancing?(): void | Promise<void>;
  /**
   * The member is about to send a JoinGroup (Kafka Streams' `TaskManager.handleRebalanceStart`,
   * which its assignor's `subscriptionUserData` calls as the consumer prepares the request): the
   * runtime makes no interval commit from now until the next `onAssigned` or `onLost` (Kafka
   * Streams' `rebalanceInProgress`). The JoinGroup goes out once the returned promise settles: the
   * end of a commit in flight, so its offsets reach the coordinator under the generation they were
   * sent with (Kafka's consumer rejoins only from the stream thread's poll, never during a commit).
   */
  onJoining?(): void | Promise<void>;
  /**
   * The member's partitions were lost without that revocation (Kafka's `onPartitionsLost`): its
   * membership ended (its session expired or the coordinator evicted it, e.g. while the process was
   * stopped) or the group moved to another generation without it, and the client rejoined at once.
   * Another member may have processed the partitions meanwhile, past what the runtime holds in
   * memory, and committed; nothing may be committed for them now. Called before `onAssigned` of
   * the join that follows, whose partitions start from their committed offsets.
   */
  onLost?(): void;
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
  /** The current group metadata (KIP-447), where the client exposes it. */
  groupMetadata?(): ConsumerGroupMetadata;
  /**
   * Moves the fetch positions of assigned partitions (the next batch starts there). With
   * `generationId` (the group generation the offsets were read under, from {@link groupMetadata})
   * the seek is dropped when the member has joined another generation since: that assignment
   * starts from the committed offsets, which another member may have moved past the sought ones
   * meanwhile (offsets read before a rebalance would send it back over records already committed).
   */
  seek?(offsets: TopicPartitionOffset[], generationId?: number): void;
}

/** Producer settings every client implements (client-specific options travel separately). */
export interface ProducerSettings {
  /** Codec of the record batches this producer writes (Kafka's `compression.type`). Default `none`. */
  readonly compression?: CompressionType;
  /**
   * Makes the producer transactional (Kafka's `transactional.id`): `connect()` initialises it
   * (fencing older producers with the same id) and sends happen inside `beginTransaction()` /
   * `commitTransaction()`. Only for clients whose capabilities list `transactions`.
   */
  readonly transactionalId?: string;
  /** Kafka's `transaction.timeout.ms` for a transactional producer. */
  readonly transactionTimeoutMs?: number;
}

export interface StreamsProducer {
  connect(): Promise<void>;
  /**
   * Sends records (any topics); resolves once all are acknowledged by the brokers (acks=all). When
   * the brokers refused some partitions' batches for good (e.g. MESSAGE_TOO_LARGE) and appended the
   * others, rejects with a `ProduceRefusedError` carrying the written partitions' acks and the
   * refused partitions, as Kafka's produce response reports per partition; the written partitions
   * keep their sequence numbers (a transactional producer's later sends to them are written).
   */
  send(records: ProduceRecord[]): Promise<ProduceAck[]>;
  disconnect(): Promise<void>;
  /**
   * Transactional producers, Kafka's `Producer#initTransactions`: registers the transactional id
   * with its coordinator now (InitProducerId), which fences every older producer of the id and
   * aborts a transaction one left open, before this producer sends anything. Without it the
   * client does this at the first `beginTransaction`.
   */
  initTransactions?(): Promise<void>;
  /** Transactional producers: starts a transaction (sends until commit/abort belong to it). */
  beginTransaction?(): Promise<void>;
  /**
   * Transactional producers: adds consumed offsets to the open transaction (committed with it);
   * `group` is sent along where the client can (KIP-447).
   */
  sendOffsetsToTransaction?(offsets: TopicPartitionOffset[], group: ConsumerGroupMetadata): Promise<void>;
  /** Transactional producers: commits the open transaction. A fenced producer rejects with `ProducerFencedError`. */
  commitTransaction?(): Promise<void>;
  /** Transactional producers: aborts the open transaction. */
  abortTransaction?(): Promise<void>;
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
  /**
   * High watermark (end offset) per partition: Kafka's `Admin#listOffsets(latest)` at its default
   * isolation, read_uncommitted (a transaction still open counts; a read_committed reader reaches
   * this end once every transaction open below it ended).
   */
  endOffsets(topic: string): Promise<Map<number, number>>;
  /**
   * Committed offsets of a group for a topic (-1 when none). `requireStable` (KIP-447, OffsetFetch
   * v7): a partition whose offsets an open transaction has staged is answered once that
   * transaction ended (as a read_committed consumer reads them), never with the older offset.
   */
  committedOffsets(
    groupId: string,
    topic: string,
    options?: { readonly requireStable?: boolean },
  ): Promise<Map<number, number>>;
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
   * to read), the others at their beginning. `onBatch` is called per partition batch, in offset
   * order; the consumer may read ahead, calling it again before the previous call resolved (a few
   * batches at most), so the receiver applies them in the order given. Resolves once reading has
   * started.
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
  /** Optional capabilities (absent: none of them). */
  capabilities?(): ClientCapabilities;
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
