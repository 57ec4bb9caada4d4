import { randomUUID } from 'node:crypto';
import type {
  Admin,
  ConnectionPool,
  Consumer,
  ExtendedGroupProtocolSubscription,
  GroupAssignment,
  Producer,
} from '@platformatic/kafka' with { 'resolution-mode': 'import' };
import { MembershipWatch } from '../membership-watch';
import { TransactionGuard } from '../transaction-guard';
import { StreamsError } from '../../errors/streams-error';
import { Logger } from '../../logger';
import { Headers } from '../../serialization/serde';
import {
  BatchControl,
  ClientCapabilities,
  ClientConnection,
  ConsumerGroupMetadata,
  ConsumerListener,
  ConsumerSettings,
  ConsumerSubscription,
  FetchedBatch,
  FetchedRecord,
  GlobalConsumer,
  KafkaClientFactory,
  NewTopic,
  ProduceAck,
  ProduceRecord,
  ProducerSettings,
  StreamsAdmin,
  StreamsConsumer,
  StreamsProducer,
  TopicPartitionOffset,
} from '../kafka-client';
import { type FetchedPartition, toFetchedPartition } from './platformatic-fetched-partition';
import { PlatformaticGlobalConsumer } from './platformatic-global-consumer';
import {
  decompressionFailure,
  tagDecompressionFailures,
  undecodableRecord,
} from './platformatic-undecodable';
import { platformaticKafka } from './platformatic-module';
import { produceRefused } from './platformatic-produce-refused';

/** Protocol name of the eager (stop-the-world) rebalance with the runtime's assignor. */
const EAGER_PROTOCOL = 'GmartStreamsAssignor';
/** @platformatic/kafka runs the incremental cooperative protocol (KIP-429) for this protocol name. */
const COOPERATIVE_PROTOCOL = 'cooperative-sticky';
/** Member userData asking for an application shutdown (same bytes as the kafkajs client). */
const SHUTDOWN_REQUEST = Buffer.from('gmart-streams:shutdown-application');
/** Topic name (never subscribed) used as the shutdown signal in assignments. */
const SHUTDOWN_SIGNAL_TOPIC = '__gmart_streams_shutdown_application';
/** Kafka's special ListOffsets timestamps. */
const LATEST = -1n;
const EARLIEST = -2n;

/** Consumer options of the runtime's config this client understands (kafkajs names where they differ). */
interface PlatformaticConsumerOptions {
  sessionTimeout?: number;
  rebalanceTimeout?: number;
  heartbeatInterval?: number;
  maxWaitTimeInMs?: number;
  maxWaitTime?: number;
  minBytes?: number;
  maxBytes?: number;
  maxBytesPerPartition?: number;
}

/** The client's protected API lookup (`kGetApi`). */
type GetApi = (name: string, cb: (error: Error | null, api?: unknown) => void) => void;

/**
 * Replaces `client`'s API lookup (`kGetApi`, a symbol-keyed member) with `hook(original)`. The
 * client types the lookup as generic over each API's request and response, and the hooks answer
 * some names with wrapper functions of their own (untyped calls of the API's callback form): so it
 * is replaced through the untyped view {@link GetApi}.
 */
function hookGetApi(client: object, hook: (getApi: GetApi) => GetApi): void {
  const { kGetApi } = platformaticKafka();
  const c = client as Record<symbol, GetApi>;
  c[kGetApi] = hook(c[kGetApi].bind(client));
}

/** Answers `client`'s lookups of API `name` with `wrap(api)` of the API it found (a failed lookup as it is). */
function wrapApi(client: object, name: string, wrap: (api: unknown) => unknown): void {
  hookGetApi(
    client,
    (getApi) => (n, cb) =>
      n !== name ? getApi(n, cb) : getApi(n, (error, api) => cb(error, error ? api : wrap(api))),
  );
}

const key = (topic: string, partition: number) => `${partition}\u0000${topic}`;

function toHeaderMap(h: Headers): Map<Buffer, Buffer> | undefined {
  let out: Map<Buffer, Buffer> | undefined;
  for (const k in h) {
    const v = h[k];
    if (v === undefined) continue;
    (out ??= new Map()).set(Buffer.from(k), typeof v === 'string' ? Buffer.from(v) : v);
  }
  return out;
}

function connectionOptions(c: ClientConnection): Record<string, unknown> {
  const out: Record<string, unknown> = {
    clientId: c.clientId,
    bootstrapBrokers: c.bootstrapServers,
    ...c.options,
  };
  if (c.ssl !== undefined && c.ssl !== false) out.tls = c.ssl === true ? {} : c.ssl;
  if (c.sasl !== undefined) {
    const s = c.sasl as { mechanism?: string };
    out.sasl = { ...s, mechanism: s.mechanism?.toUpperCase() };
  }
  return out;
}

function assignmentMap(assignments: GroupAssignment[] | null | undefined): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of assignments ?? [])
    if (a.topic !== SHUTDOWN_SIGNAL_TOPIC)
      out.set(
        a.topic,
        [...a.partitions].sort((x, y) => x - y),
      );
  return out;
}

/**
 * The @platformatic/kafka implementation of the client seam (a maintained, pure-TypeScript client
 * speaking the flexible protocol versions). Group membership, heartbeats, the join/sync protocol,
 * commits and fetches are the client's; the fetch loop is this seam's so that each batch comes
 * with its partition's high watermark, records of partitions revoked mid-flight are dropped, and
 * batches are handed to the runtime one at a time. With `rebalanceProtocol: 'cooperative'` the
 * group runs KIP-429's incremental protocol: partitions that stay with a member keep being fetched
 * and processed through a rebalance; a partition moving between members is first revoked by its
 * owner (a second, follow-up rebalance assigns it).
 */
export class PlatformaticClientFactory implements KafkaClientFactory {
  private readonly base: Record<string, unknown>;

  constructor(private readonly connection: ClientConnection) {
    platformaticKafka(); // fails at construction, not at first use, when the package is missing
    tagDecompressionFailures();
    this.base = connectionOptions(connection);
  }

  consumer(settings: ConsumerSettings): StreamsConsumer {
    return new PlatformaticStreamsConsumer(this.base, settings, this.connection.logger);
  }

  /**
   * @platformatic/kafka has transactional producers (InitProducerId with epochs, AddPartitionsToTxn,
   * AddOffsetsToTxn, EndTxn) and commits offsets in a transaction with the consumer's generation and
   * member id (TxnOffsetCommit v3+, KIP-447).
   */
  capabilities(): ClientCapabilities {
    return {
      client: `@platformatic/kafka ${platformaticVersion()}`,
      transactions: true,
      transactionalOffsetsWithGroupMetadata: true,
    };
  }

  producer(options?: Readonly<Record<string, unknown>>, settings?: ProducerSettings): StreamsProducer {
    const { Producer } = platformaticKafka();
    const compression = settings?.compression ?? 'none';
    const base = this.base;
    const transactionalId = settings?.transactionalId;
    let producer: Producer | undefined;
    /** The open transaction of a transactional producer (forgotten when fenced). */
    const tx = new TransactionGuard<Transaction>(transactionalId, 'fencing');
    const transactional: Partial<StreamsProducer> =
      transactionalId === undefined
        ? {}
        : {
            async initTransactions() {
              // The client sends InitProducerId when its first transaction begins; that one is
              // cancelled at once (locally: nothing was added to it, no EndTxn is sent).
              if (tx.isOpen) return;
              const t = (await producer!.beginTransaction().catch(tx.fenced('init'))) as Transaction;
              await t.cancel();
            },
            async beginTransaction() {
              // The first transaction initialises the transactional id (InitProducerId), fencing
              // older producers with the same id and aborting a transaction they left open.
              tx.begin((await producer!.beginTransaction().catch(tx.fenced('begin'))) as Transaction);
            },
            async sendOffsetsToTransaction(offsets: TopicPartitionOffset[], group: ConsumerGroupMetadata) {
              const t = tx.current('sendOffsetsToTransaction');
              const coordinatorId = (group as PlatformaticGroupMetadata).coordinatorId;
              if (coordinatorId === undefined || coordinatorId === null)
                throw new StreamsError(
                  `offsets in a transaction of ${transactionalId}: the group metadata must come from a platformatic consumer (it names the group coordinator)`,
                );
              await t.addConsumer({ groupId: group.groupId } as Consumer).catch(tx.fenced('addOffsets'));
              // TxnOffsetCommit v3+ with the generation and member id (KIP-447): a member that
              // lost its partitions is refused. The client commits `offset + 1` of a message.
              for (const o of offsets)
                await t
                  .addOffset({
                    topic: o.topic,
                    partition: o.partition,
                    offset: BigInt(o.offset - 1),
                    metadata: {
                      consumer: {
                        groupId: group.groupId,
                        generationId: group.generationId,
                        memberId: group.memberId,
                        coordinatorId,
                      },
                    },
                  } as never)
                  .catch(tx.fenced('sendOffsets'));
            },
            async commitTransaction() {
              await tx.current('commitTransaction').commit().catch(tx.fenced('commit'));
              tx.take();
            },
            async abortTransaction() {
              const open = tx.take();
              if (open && !open.completed) await open.abort().catch(tx.fenced('abort'));
            },
          };
    return {
      ...transactional,
      async connect() {
        producer = new Producer({
          ...base,
          ...(options ?? {}),
          autocreateTopics: false,
          ...(transactionalId !== undefined
            ? // A new producer: InitProducerId without a current id and epoch (else the broker
              // takes it for the producer it fences and refuses it).
              { transactionalId, idempotent: true, producerId: -1n, producerEpoch: -1 }
            : {}),
        } as never);
        if (transactionalId !== undefined && settings?.transactionTimeoutMs !== undefined)
          withTransactionTimeout(producer, settings.transactionTimeoutMs);
        await producer.metadata({ topics: [] });
      },
      async send(records: ProduceRecord[]): Promise<ProduceAck[]> {
        const explicit = new Map<string, number>();
        const messages = records.map((r) => {
          if (r.partition !== undefined) {
            const k = key(r.topic, r.partition);
            explicit.set(k, (explicit.get(k) ?? 0) + 1);
          }
          return {
            topic: r.topic,
            partition: r.partition,
            key: r.key ?? undefined,
            value: r.value ?? undefined,
            timestamp: BigInt(r.timestamp),
            headers: toHeaderMap(r.headers),
          };
        });
        const request = { messages: messages as never, acks: -1 as const, compression };
        // Some partitions refused for good (the others written): only those failed. Under a
        // transaction it stays open (the written records are in it).
        const refusedIn = (error: unknown): never => {
          throw (
            produceRefused(error, (topic, partition) => explicit.get(key(topic, partition)) ?? 0) ?? error
          );
        };
        const result =
          transactionalId === undefined
            ? await producer!.send(request).catch(refusedIn)
            : await tx.send((t) => t.send(request).catch(refusedIn));
        return (result.offsets ?? []).map((o) => ({
          topic: o.topic,
          partition: o.partition,
          baseOffset: Number(o.offset),
          count: explicit.get(key(o.topic, o.partition)) ?? 0,
        }));
      },
      async disconnect() {
        await producer?.close();
      },
    };
  }

  admin(): StreamsAdmin {
    const { Admin } = platformaticKafka();
    const base = this.base;
    let admin: Admin | undefined;
    const a = () => admin!;
    const partitionCounts = async (topics: string[]) => {
      const out = new Map<string, number>();
      if (topics.length === 0) return out;
      const existing = new Set(await a().listTopics({ includeInternals: true }));
      const wanted = topics.filter((t) => existing.has(t));
      if (wanted.length === 0) return out;
      const md = await a().metadata({ topics: wanted, forceUpdate: true });
      for (const t of wanted) {
        const tm = md.topics.get(t);
        if (tm) out.set(t, tm.partitionsCount);
      }
      return out;
    };
    return {
      async connect() {
        admin = new Admin({ ...base } as never);
        await admin.metadata({ topics: [] });
      },
      partitionCounts,
      listTopics: () => a().listTopics({ includeInternals: true }),
      async createTopics(topics: NewTopic[]) {
        for (const t of topics) {
          try {
            await a().createTopics({
              topics: [t.topic],
              partitions: t.numPartitions,
              replicas: t.replicationFactor,
              configs: Object.entries(t.config).map(([name, value]) => ({ name, value })),
            });
          } catch (error) {
            if (!hasApiError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
          }
        }
      },
      async endOffsets(topic: string) {
        const count = (await partitionCounts([topic])).get(topic) ?? 0;
        const out = new Map<number, number>();
        if (count === 0) return out;
        const partitions = Array.from({ length: count }, (_, partitionIndex) => ({
          partitionIndex,
          timestamp: LATEST,
        }));
        const res = await a().listOffsets({ topics: [{ name: topic, partitions }] });
        for (const t of res) for (const p of t.partitions) out.set(p.partitionIndex, Number(p.offset));
        return out;
      },
      async committedOffsets(groupId: string, topic: string, options?: { requireStable?: boolean }) {
        const count = (await partitionCounts([topic])).get(topic) ?? 0;
        const out = new Map<number, number>();
        if (count === 0) return out;
        for (let p = 0; p < count; p++) out.set(p, -1);
        const res = await untilStable(() =>
          a().listConsumerGroupOffsets({
            groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [...out.keys()] }] }],
            requireStable: options?.requireStable ?? false,
          }),
        );
        for (const g of res)
          for (const t of g.topics)
            if (t.name === topic)
              for (const p of t.partitions) out.set(p.partitionIndex, Number(p.committedOffset));
        return out;
      },
      async describeGroup(groupId: string) {
        const groups = await a().describeGroups({ groups: [groupId] });
        const g = groups.get(groupId);
        const members = [...(g?.members.values() ?? [])].map((m) => {
          const assignment = new Map<string, number[]>();
          for (const [t, ga] of m.assignments ?? new Map<string, GroupAssignment>())
            if (t !== SHUTDOWN_SIGNAL_TOPIC) assignment.set(t, [...ga.partitions]);
          const ud = m.metadata?.metadata;
          return {
            memberId: m.id,
            userData: ud ? Buffer.from(ud as Buffer) : Buffer.alloc(0),
            assignment,
          };
        });
        return { state: stateName(g?.state), members };
      },
      async disconnect() {
        await admin?.close();
      },
    };
  }

  /** Reads every partition of the global topics by plain fetches (see {@link PlatformaticGlobalConsumer}). */
  globalConsumer(settings: {
    readonly clientId: string;
    readonly options?: Readonly<Record<string, unknown>>;
  }): GlobalConsumer {
    return new PlatformaticGlobalConsumer(
      this.base,
      settings.clientId,
      (settings.options ?? {}) as PlatformaticConsumerOptions,
      this.connection.logger,
    );
  }

  async readPartition(
    topic: string,
    partition: number,
    fromOffset: number,
    onBatch: (records: FetchedRecord[]) => void | Promise<void>,
  ): Promise<number> {
    const { Consumer } = platformaticKafka();
    // A consumer that never joins its (throw-away) group: it only fetches.
    const consumer = new Consumer({
      ...this.base,
      groupId: `${this.connection.clientId}-restore-${randomUUID()}`,
      autocommit: false,
    } as never) as Consumer;
    try {
      // The end is the high watermark now (read_uncommitted ListOffsets); fetches read_committed
      // (the client's default), so a transaction still open below it is waited for: its records
      // come once it commits, are skipped once it aborts.
      const ends = await consumer.listOffsets({
        topics: [topic],
        partitions: { [topic]: [partition] },
        isolationLevel: 0,
      } as never);
      const end = Number(ends.get(topic)?.[partition] ?? 0n);
      let next = fromOffset;
      while (next < end) {
        const fetched = await fetchPartition(consumer, topic, partition, next, 500);
        if (fetched.error) throw fetched.error;
        const records = fetched.records.filter((r) => r.offset >= next && r.offset < end);
        if (records.length) {
          await onBatch(records);
          next = records[records.length - 1].offset + 1;
        }
        if (fetched.nextOffset > next) next = Math.min(fetched.nextOffset, end);
      }
      return Math.max(next, end);
    } finally {
      await consumer.close(true);
    }
  }
}

/** An open transaction of a transactional producer. */
type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;

/** The group metadata a platformatic consumer gives: also the group coordinator's node id. */
interface PlatformaticGroupMetadata extends ConsumerGroupMetadata {
  readonly coordinatorId?: number | null;
}

/** The installed @platformatic/kafka version (for messages). */
function platformaticVersion(): string {
  const v: unknown = platformaticKafka().clientSoftwareVersion;
  return typeof v === 'string' ? v : '2.12';
}

/**
 * The client sends its request timeout as InitProducerId's transaction timeout: the transactional
 * producer's `transactionTimeoutMs` (Kafka's `transaction.timeout.ms`) goes there instead.
 */
function withTransactionTimeout(producer: Producer, timeoutMs: number): void {
  wrapApi(
    producer,
    'InitProducerId',
    (api) =>
      (connection: unknown, id: unknown, _timeout: unknown, ...rest: unknown[]) =>
        (api as (...a: unknown[]) => void)(connection, id, timeoutMs, ...rest),
  );
}

/**
 * The client's OffsetFetch API (`api(connection, groups, requireStable, callback)`, every version)
 * with `requireStable` true; keeps the API's `version` (and other fields) the client reads.
 */
function requiringStable(api: unknown): unknown {
  const call = api as (...a: unknown[]) => void;
  const wrapped = (connection: unknown, groups: unknown, _requireStable: unknown, ...rest: unknown[]) =>
    call(connection, groups, true, ...rest);
  return Object.assign(wrapped, call);
}

function stateName(state: string | undefined): string {
  if (!state) return 'Dead';
  // Kafka's group states as kafkajs (and the runtime) spell them.
  const names: Record<string, string> = {
    STABLE: 'Stable',
    EMPTY: 'Empty',
    DEAD: 'Dead',
    PREPARING_REBALANCE: 'PreparingRebalance',
    COMPLETING_REBALANCE: 'CompletingRebalance',
  };
  return names[state] ?? state;
}

/** How long a require-stable offset fetch waits for a pending transactional commit (Kafka's default.api.timeout.ms). */
const UNSTABLE_OFFSET_COMMIT_TIMEOUT_MS = 60000;

/**
 * Runs an OffsetFetch until no partition answers UNSTABLE_OFFSET_COMMIT (offsets an open
 * transaction has staged, KIP-447), backing off, as Java's consumer does.
 */
async function untilStable<T>(fetch: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + UNSTABLE_OFFSET_COMMIT_TIMEOUT_MS;
  for (let backoff = 50; ; backoff = Math.min(backoff * 2, 500)) {
    try {
      return await fetch();
    } catch (error) {
      if (!hasApiError(error, 'UNSTABLE_OFFSET_COMMIT') || Date.now() + backoff > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

function hasApiError(error: unknown, apiId: string): boolean {
  const seen = new Set<unknown>();
  const walk = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const o = e as { apiId?: string; errors?: unknown[]; cause?: unknown };
    if (o.apiId === apiId) return true;
    return (o.errors ?? []).some(walk) || walk(o.cause);
  };
  return walk(error);
}

/** One fetch of one partition from its leader. */
async function fetchPartition(
  consumer: Consumer,
  topic: string,
  partition: number,
  offset: number,
  maxWaitTime: number,
  partitionMaxBytes = 1048576,
): Promise<FetchedPartition> {
  const md = await consumer.metadata({ topics: [topic] });
  const tm = md.topics.get(topic);
  if (!tm)
    return {
      records: [],
      highWatermark: 0,
      nextOffset: offset,
      error: new Error(`Unknown topic "${topic}"`),
    };
  const res = await consumer.fetch({
    node: tm.partitions[partition].leader,
    topics: [
      {
        topicId: tm.id,
        partitions: [
          {
            partition,
            fetchOffset: BigInt(offset),
            partitionMaxBytes,
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
          },
        ],
      },
    ],
    maxWaitTime,
    minBytes: 1,
    maxBytes: 1048576,
  });
  const p = res.responses[0]?.partitions[0];
  return p ? toFetchedPartition(p, offset) : { records: [], highWatermark: 0, nextOffset: offset };
}

/**
 * A group member: the client keeps the membership (join, sync, heartbeats, cooperative revocation);
 * this class fetches the partitions currently assigned, from their position, and hands the
 * batches to the runtime.
 */
class PlatformaticStreamsConsumer implements StreamsConsumer {
  private consumer: Consumer | undefined;
  /**
   * Connections of the fetch loop, apart from the consumer's own (as the client's message streams
   * have): the group's JoinGroup waits at the coordinator until every member rejoined, and a broker
   * answers a connection's requests in order, so fetches sharing its connection would stop the
   * partitions a member keeps through a cooperative rebalance.
   */
  private fetchPool: ConnectionPool | undefined;
  private subscriptions: ConsumerSubscription[] = [];
  /** Topic -> whether a partition without a committed offset starts at the earliest offset. */
  private readonly earliest = new Map<string, boolean>();
  private readonly positions = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly cooperative: boolean;
  /** Eager protocol, between the start of a rebalance and the new assignment. */
  private paused = false;
  /** The runtime's handling of the last rebalance (its commit), awaited before fetching on. */
  private revoking: Promise<void> = Promise.resolve();
  /** The runtime's listener (set by `run`), told of each JoinGroup (`onJoining`). */
  private listener: ConsumerListener | undefined;
  /** Offset commits in flight (see `beforeRejoin`). */
  private commits = 0;
  private rebalanceTimeout = 60000;

  constructor(
    private readonly base: Record<string, unknown>,
    private readonly settings: ConsumerSettings,
    private readonly logger: Logger,
  ) {
    this.cooperative = settings.rebalanceProtocol === 'cooperative';
  }

  async connect(): Promise<void> {
    const { Consumer } = platformaticKafka();
    const s = this.settings;
    const o = (s.options ?? {}) as PlatformaticConsumerOptions;
    const protocol = this.cooperative ? COOPERATIVE_PROTOCOL : EAGER_PROTOCOL;
    const sessionTimeout = o.sessionTimeout ?? 30000;
    // The client wants rebalanceTimeout >= sessionTimeout (kafkajs does not): raised when lower.
    this.rebalanceTimeout = Math.max(o.rebalanceTimeout ?? 60000, sessionTimeout);
    this.consumer = new Consumer({
      ...this.base,
      clientId: s.clientId,
      groupId: s.groupId,
      groupInstanceId: s.groupInstanceId,
      autocommit: false,
      sessionTimeout,
      rebalanceTimeout: this.rebalanceTimeout,
      heartbeatInterval: o.heartbeatInterval ?? 3000,
      maxWaitTime: o.maxWaitTime ?? o.maxWaitTimeInMs ?? 500,
      minBytes: o.minBytes ?? 1,
      maxBytes: o.maxBytes ?? 10485760,
      maxBytesPerPartition: o.maxBytesPerPartition ?? 1048576,
      // Kafka's isolation.level (the client's default: read_committed).
      isolationLevel: s.isolationLevel === 'read_uncommitted' ? 0 : 1,
      protocols: [{ name: protocol, version: this.cooperative ? 3 : 1 }],
      protocolsMetadata: () => {
        const own = typeof s.userData === 'function' ? s.userData() : s.userData;
        return s.requestShutdown ? SHUTDOWN_REQUEST : (own ?? Buffer.alloc(0));
      },
      partitionAssigner: (
        _current: string,
        members: Map<string, ExtendedGroupProtocolSubscription>,
        topics: Set<string>,
        metadata: { topics: Map<string, { partitionsCount: number }> },
      ) => this.assign(members, topics, metadata),
    } as never) as Consumer;
    const pk = platformaticKafka();
    // Kafka's onPartitionsRevoked: the member rejoins only once the runtime committed what it
    // processed (the client would rejoin at once, and a commit arriving after the rebalance fails
    // for the old generation, so the next owner of a moved partition would process it again). The
    // commit goes out before the JoinGroup, while the group prepares the rebalance, as Kafka's.
    wrapApi(this.consumer, 'JoinGroup', (api) => (...args: unknown[]) => {
      void this.beforeRejoin().then(() => (api as (...a: unknown[]) => void)(...args));
    });
    // KIP-447: a read_committed member fetches its committed offsets with require_stable (the
    // client always sends false), so a partition whose offsets a transaction has staged answers
    // UNSTABLE_OFFSET_COMMIT, retried in initPositions, instead of an offset about to move on.
    if (s.isolationLevel !== 'read_uncommitted') wrapApi(this.consumer, 'OffsetFetch', requiringStable);
    this.fetchPool = new pk.ConnectionPool(s.clientId, { ...this.consumer[pk.kOptions] });
    await this.consumer.metadata({ topics: [] });
  }

  /**
   * What a JoinGroup waits for: the runtime's commit of the rebalance and the end of a commit in
   * flight (`onJoining`, called here for every JoinGroup, also one the client sends without a
   * 'group:rebalance' event), at most half the rebalance timeout; not when the join comes from a
   * commit itself (the client rejoins and retries a commit refused for the generation: waiting there
   * would wait for that very commit).
   */
  private beforeRejoin(): Promise<void> {
    const joining = Promise.resolve(this.listener?.onJoining?.()).catch(() => undefined);
    if (this.commits > 0) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.rebalanceTimeout / 2);
      timer.unref();
    });
    return Promise.race([Promise.all([this.revoking, joining]).then(() => undefined), cap]).finally(() =>
      clearTimeout(timer),
    );
  }

  /** The leader's assignment: the runtime's assignor, or the shutdown signal; cooperative-safe. */
  private assign(
    members: Map<string, ExtendedGroupProtocolSubscription>,
    topics: Set<string>,
    metadata: { topics: Map<string, { partitionsCount: number }> },
  ) {
    const ids = [...members.keys()].sort();
    const userData = new Map<string, Buffer>();
    let shutdown = false;
    for (const [id, m] of members) {
      const ud = m.metadata ? Buffer.from(m.metadata as Buffer) : Buffer.alloc(0);
      if (SHUTDOWN_REQUEST.equals(ud)) shutdown = true;
      userData.set(id, ud);
    }
    const result = ids.map((memberId) => ({ memberId, assignments: new Map<string, GroupAssignment>() }));
    if (shutdown) {
      // (The client leaves topics without partitions out of an assignment: the signal names partition 0.)
      for (const r of result)
        r.assignments.set(SHUTDOWN_SIGNAL_TOPIC, { topic: SHUTDOWN_SIGNAL_TOPIC, partitions: [0] });
      return result;
    }
    const counts = new Map<string, number>();
    for (const t of topics) {
      const tm = metadata.topics.get(t);
      if (tm) counts.set(t, tm.partitionsCount);
    }
    const plan = this.settings.assignor(ids, counts, userData);
    // KIP-429: a partition still owned by another member is not handed out in this round; its
    // owner sees it missing from its own assignment, revokes it and rejoins, and the follow-up
    // rebalance assigns it.
    const owner = new Map<string, string>();
    if (this.cooperative)
      for (const [id, m] of members)
        for (const op of m.ownedPartitions ?? [])
          for (const p of op.partitions) owner.set(key(op.topic, p), id);
    for (const r of result) {
      for (const [topic, partitions] of plan.get(r.memberId) ?? new Map<string, number[]>()) {
        const kept = partitions.filter((p) => {
          const o = owner.get(key(topic, p));
          return o === undefined || o === r.memberId;
        });
        r.assignments.set(topic, { topic, partitions: kept });
      }
    }
    return result;
  }

  async subscribe(subscriptions: ConsumerSubscription[]): Promise<void> {
    this.subscriptions = subscriptions;
  }

  /** Topics of the subscriptions, patterns resolved against the topics that exist now. */
  private async resolveTopics(): Promise<string[]> {
    const c = this.consumer!;
    const needsList = this.subscriptions.some((s) => s.topics.some((t) => t instanceof RegExp));
    let all: string[] = [];
    if (needsList) all = [...(await c.metadata({ topics: [], forceUpdate: true })).topics.keys()];
    const out = new Set<string>();
    if (needsList) {
      // Metadata for "no topics" may be empty: list every topic through an admin call instead.
      const { Admin } = platformaticKafka();
      const admin = new Admin({
        ...this.base,
        clientId: `${this.settings.clientId}-patterns`,
      } as never) as Admin;
      try {
        all = await admin.listTopics();
      } finally {
        await admin.close();
      }
    }
    for (const s of this.subscriptions)
      for (const t of s.topics) {
        const names = t instanceof RegExp ? all.filter((n) => t.test(n)) : [t];
        for (const n of names) {
          out.add(n);
          if (!this.earliest.has(n)) this.earliest.set(n, s.fromBeginning);
        }
      }
    return [...out];
  }

  async run(
    handler: (batch: FetchedBatch, control: BatchControl) => Promise<void>,
    listener: ConsumerListener,
  ): Promise<void> {
    const c = this.consumer!;
    this.listener = listener;
    const topics = await this.resolveTopics();
    for (const t of topics) c.topics.track(t);
    let lastNotified = '';
    // The client rejoins at once, without 'group:rebalance', when a heartbeat is refused with
    // UNKNOWN_MEMBER_ID (a new member id) or ILLEGAL_GENERATION: the runtime is told the partitions were lost.
    const watch = new MembershipWatch();
    const notifyAssigned = (join?: { memberId: string; generationId: number }) => {
      const lost = join !== undefined && watch.joined(join.memberId, join.generationId);
      const a = assignmentMap(c.assignments);
      if ((c.assignments ?? []).some((x) => x.topic === SHUTDOWN_SIGNAL_TOPIC)) {
        listener.onShutdownRequested?.();
        return;
      }
      const text = JSON.stringify([...a]);
      // Eager: every partition was revoked; fetching resumes from the committed offsets (as kafkajs).
      // Lost (either protocol): no position held before is this member's any more.
      if (!this.cooperative || lost) {
        this.positions.clear();
        this.paused = false;
      }
      for (const k of [...this.positions.keys()]) {
        const [p, t] = k.split('\u0000');
        if (!a.get(t)?.includes(Number(p))) this.positions.delete(k);
      }
      lastNotified = text;
      if (lost) listener.onLost?.();
      listener.onAssigned?.(a);
      this.wake?.();
    };
    c.on('consumer:group:join', (e: { memberId?: string | null; generationId?: number }) =>
      notifyAssigned({ memberId: e.memberId ?? '', generationId: e.generationId ?? -1 }),
    );
    // Emitted before every JoinGroup the client sends for a rebalance: when a heartbeat or a join is
    // answered REBALANCE_IN_PROGRESS, and (cooperative) when a join's assignment lacks partitions the
    // member held, before the follow-up JoinGroup.
    c.on('consumer:group:rebalance', () => {
      watch.revoking();
      // Eager: nothing is processed from the start of a rebalance until the new assignment.
      if (!this.cooperative) this.paused = true;
      // Kafka's onPartitionsRevoked: eager, every partition at every rebalance; cooperative, only the
      // partitions a completed join took away (the assignment already lacks them), never at the
      // start of a rebalance, where Kafka Streams commits nothing (it is in progress).
      const revoked =
        !this.cooperative ||
        (!!c.assignments && JSON.stringify([...assignmentMap(c.assignments)]) !== lastNotified);
      // The client rejoins without waiting for this; under the eager protocol the fetch loop waits
      // for it (the runtime's commit) before it reads the committed offsets again.
      const revocation = revoked ? listener.onRebalancing?.() : undefined;
      // Cooperative revocation: their tasks close once that commit ended.
      if (this.cooperative && revoked) notifyAssigned();
      // A JoinGroup follows: from here on the runtime holds interval commits (after `onAssigned` above).
      const joining = listener.onJoining?.();
      this.revoking = Promise.all([revocation, joining]).then(
        () => undefined,
        () => undefined,
      );
    });
    // The client reports a membership it could not keep (a rejoin that failed for good) as an
    // 'error' event: the consumer is dead, as kafkajs' non-restarting crash.
    c.on('error', (error: Error) => {
      if (!this.running) return;
      this.running = false;
      listener.onCrash?.(error);
    });
    await c.joinGroup({});
    this.running = true;
    this.loop = this.fetchLoop(handler).catch((error: Error) => {
      if (this.running) listener.onCrash?.(error);
    });
  }

  /** Fetches the assigned partitions from their leaders and hands each partition's records to the handler. */
  private async fetchLoop(
    handler: (batch: FetchedBatch, control: BatchControl) => Promise<void>,
  ): Promise<void> {
    const c = this.consumer!;
    // The consumer's options as it was created with them (its defaults filled in).
    const options = c[platformaticKafka().kOptions];
    const wait =
      ((this.settings.options ?? {}) as PlatformaticConsumerOptions).maxWaitTimeInMs ??
      options.maxWaitTime ??
      500;
    const partitionMaxBytes = options.maxBytesPerPartition ?? 1048576;
    /**
     * The client clears its member id when a heartbeat is refused with UNKNOWN_MEMBER_ID, then
     * rejoins: the partitions are lost (another member may be processing them), so nothing fetched
     * for them is handed over until the next assignment, as Kafka's consumer rejoins before its
     * next poll returns records.
     */
    const member = () => !!c.memberId;
    while (this.running) {
      const assigned = assignmentMap(c.assignments);
      const partitions: Array<{ topic: string; partition: number }> = [];
      for (const [topic, ps] of assigned) for (const partition of ps) partitions.push({ topic, partition });
      if (partitions.length === 0 || this.paused || !member()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
        continue;
      }
      if (!this.cooperative) await this.revoking;
      await this.initPositions(partitions);
      if (!this.running) return;
      const md = await c.metadata({ topics: [...assigned.keys()] });
      const byNode = new Map<
        number,
        Array<{ topicId: string; partitions: Array<Record<string, unknown>> }>
      >();
      const idToTopic = new Map<string, string>();
      /** The position each partition is fetched from: a response for another one is stale (a seek). */
      const requested = new Map<string, number>();
      for (const { topic, partition } of partitions) {
        const tm = md.topics.get(topic);
        const position = this.positions.get(key(topic, partition));
        if (!tm || position === undefined || !tm.partitions[partition]) continue;
        requested.set(key(topic, partition), position);
        idToTopic.set(tm.id, topic);
        const node = tm.partitions[partition].leader;
        let list = byNode.get(node);
        if (!list) byNode.set(node, (list = []));
        let entry = list.find((e) => e.topicId === tm.id);
        if (!entry) list.push((entry = { topicId: tm.id, partitions: [] }));
        entry.partitions.push({
          partition,
          fetchOffset: BigInt(position),
          partitionMaxBytes,
          currentLeaderEpoch: -1,
          lastFetchedEpoch: -1,
        });
      }
      const undecodable: Array<{ topic: string; partition: number }> = [];
      const responses = (
        await Promise.all(
          [...byNode].map(([node, topics]) =>
            c
              .fetch({
                node,
                topics: topics as never,
                maxWaitTime: wait,
                minBytes: 1,
                maxBytes: 10485760,
                connectionPool: this.fetchPool,
              })
              .catch((error: unknown) => {
                // A batch the client cannot decompress fails the whole response: its partitions
                // are fetched one by one below, the undecodable batch handed over as one record.
                if (!decompressionFailure(error)) throw error;
                for (const t of topics)
                  for (const p of t.partitions)
                    undecodable.push({ topic: idToTopic.get(t.topicId)!, partition: p.partition as number });
                return undefined;
              }),
          ),
        )
      ).filter((r) => r !== undefined);
      for (const { topic, partition } of undecodable) {
        if (!this.running) return;
        const k = key(topic, partition);
        const position = this.positions.get(k);
        if (position === undefined || position !== requested.get(k) || this.paused || !member()) continue;
        await this.deliverAlone(handler, topic, partition, position);
      }
      for (const res of responses) {
        for (const t of res.responses) {
          const topic = idToTopic.get(t.topicId);
          if (!topic) continue;
          for (const p of t.partitions) {
            if (!this.running) return;
            if (this.paused || !member()) continue;
            const k = key(topic, p.partitionIndex);
            const position = this.positions.get(k);
            // Revoked, reset or sought while the fetch was in flight: drop the records.
            if (
              position === undefined ||
              position !== requested.get(k) ||
              !assignmentMap(c.assignments).get(topic)?.includes(p.partitionIndex)
            )
              continue;
            if (p.errorCode === 1) {
              // OFFSET_OUT_OF_RANGE: start again from the reset policy.
              this.positions.delete(k);
              continue;
            }
            const fetched = toFetchedPartition(p, position);
            // Also a fetch of control records only (a transaction marker): the runtime commits the
            // position past it.
            if (fetched.records.length || fetched.nextOffset > position) {
              await handler(
                {
                  topic,
                  partition: p.partitionIndex,
                  highWatermark: fetched.highWatermark,
                  records: fetched.records,
                  nextOffset: fetched.nextOffset,
                },
                {
                  heartbeat: async () => undefined, // the client heartbeats on its own timer
                  isRunning: () =>
                    this.running &&
                    !this.paused &&
                    member() &&
                    !!assignmentMap(c.assignments).get(topic)?.includes(p.partitionIndex),
                },
              );
            }
            // Unless the handler moved the position (a seek back to the committed offsets).
            if (this.positions.get(k) === position && fetched.nextOffset > position)
              this.positions.set(k, fetched.nextOffset);
          }
        }
      }
    }
  }

  /**
   * Fetches one partition alone and hands its records over; when a batch at the position cannot be
   * decompressed, it is handed over as one record marked undecodable (at the batch's last offset,
   * as kafkajs' patch does), which the runtime routes to the deserialization handler.
   */
  private async deliverAlone(
    handler: (batch: FetchedBatch, control: BatchControl) => Promise<void>,
    topic: string,
    partition: number,
    position: number,
  ): Promise<void> {
    const c = this.consumer!;
    const k = key(topic, partition);
    const attempt = async (offset: number, maxBytes?: number) => {
      try {
        return { fetched: await fetchPartition(c, topic, partition, offset, 0, maxBytes) };
      } catch (error) {
        const failure = decompressionFailure(error);
        if (!failure) throw error;
        return { failure };
      }
    };
    let first = await attempt(position);
    // The batch at the position may be fine and a later one in the response not: one batch only.
    if (first.failure) first = await attempt(position, 1);
    let batch: FetchedBatch;
    if (first.fetched) {
      if (first.fetched.records.length === 0 && first.fetched.nextOffset <= position) return;
      batch = {
        topic,
        partition,
        highWatermark: first.fetched.highWatermark,
        records: first.fetched.records,
        nextOffset: first.fetched.nextOffset,
      };
    } else {
      const ends = await c.listOffsets({
        topics: [topic],
        partitions: { [topic]: [partition] },
        timestamp: LATEST,
      });
      const end = Number(ends.get(topic)?.[partition] ?? position + 1);
      // One batch per probe (a partition's max bytes of 1: the broker returns the first batch whole).
      const record = await undecodableRecord(
        topic,
        partition,
        position,
        end,
        first.failure!,
        async (offset) => (await attempt(offset, 1)).failure,
      );
      batch = { topic, partition, highWatermark: end, records: [record], nextOffset: record.offset + 1 };
    }
    if (this.positions.get(k) !== position) return;
    await handler(batch, {
      heartbeat: async () => undefined,
      isRunning: () =>
        this.running && !this.paused && !!assignmentMap(c.assignments).get(topic)?.includes(partition),
    });
    if (this.positions.get(k) === position && batch.nextOffset! > position)
      this.positions.set(k, batch.nextOffset!);
  }

  /** Positions of newly assigned partitions: the committed offset, else the reset policy. */
  private async initPositions(partitions: Array<{ topic: string; partition: number }>): Promise<void> {
    const c = this.consumer!;
    const missing = partitions.filter(({ topic, partition }) => !this.positions.has(key(topic, partition)));
    if (missing.length === 0) return;
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of missing) {
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(partition);
    }
    const committed = await untilStable(() =>
      c.listCommittedOffsets({
        topics: [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps })),
      }),
    );
    const resets: Array<{ topic: string; partition: number }> = [];
    for (const { topic, partition } of missing) {
      const o = committed.get(topic)?.[partition];
      if (o !== undefined && o >= 0n) this.positions.set(key(topic, partition), Number(o));
      else resets.push({ topic, partition });
    }
    for (const earliest of [true, false]) {
      const group = resets.filter((r) => (this.earliest.get(r.topic) ?? true) === earliest);
      if (group.length === 0) continue;
      const ts = new Map<string, number[]>();
      for (const { topic, partition } of group) {
        let list = ts.get(topic);
        if (!list) ts.set(topic, (list = []));
        list.push(partition);
      }
      const offsets = await c.listOffsets({
        topics: [...ts.keys()],
        partitions: Object.fromEntries(ts),
        timestamp: earliest ? EARLIEST : LATEST,
      });
      for (const { topic, partition } of group) {
        const o = offsets.get(topic)?.[partition];
        if (o !== undefined) this.positions.set(key(topic, partition), Number(o));
      }
    }
  }

  /** The membership of the last join (KIP-447), with the group coordinator's node for TxnOffsetCommit. */
  groupMetadata(): PlatformaticGroupMetadata {
    const c = this.consumer;
    return {
      groupId: this.settings.groupId,
      generationId: c?.generationId ?? -1,
      memberId: c?.memberId ?? '',
      groupInstanceId: this.settings.groupInstanceId ?? null,
      coordinatorId: c?.coordinatorId,
    };
  }

  /**
   * Moves the positions of assigned partitions; a fetch in flight from the old position is dropped.
   * Dropped itself when the member has left `generationId` since (see {@link StreamsConsumer.seek}).
   */
  seek(offsets: TopicPartitionOffset[], generationId?: number): void {
    if (generationId !== undefined && generationId !== (this.consumer?.generationId ?? -1)) return;
    for (const o of offsets) this.positions.set(key(o.topic, o.partition), o.offset);
    this.wake?.();
  }

  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    this.commits++;
    try {
      await this.consumer!.commit({
        offsets: offsets.map((o) => ({
          topic: o.topic,
          partition: o.partition,
          offset: BigInt(o.offset),
          leaderEpoch: -1,
        })),
      });
    } finally {
      this.commits--;
    }
  }

  async disconnect(): Promise<void> {
    this.running = false;
    this.wake?.();
    const c = this.consumer;
    if (!c) return;
    await this.loop?.catch(() => undefined);
    await this.fetchPool?.close().catch(() => undefined);
    try {
      if (this.settings.groupInstanceId) {
        // A static member keeps its place (KIP-345): it closes without LeaveGroup, as Kafka's
        // consumer does, so a restart within the session timeout gets its assignment back without
        // a rebalance. The client always leaves on close; its LeaveGroup call is answered locally.
        hookGetApi(
          c,
          (getApi) => (name, cb) =>
            name === 'LeaveGroup'
              ? cb(null, (_c: unknown, ...args: unknown[]) => (args.pop() as (e: null) => void)(null))
              : getApi(name, cb),
        );
      }
      await c.close(true);
    } catch (error) {
      this.logger.debug('Closing the consumer failed', { error });
    }
  }
}
