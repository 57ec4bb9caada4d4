import { randomUUID } from 'node:crypto';
import {
  AssignerProtocol,
  Batch,
  CompressionTypes,
  DecodedRecord,
  ICustomPartitioner,
  Kafka,
  KafkaConfig,
  logLevel,
  Partitioners,
  PartitionAssigner,
  RecordMetadata,
  Transaction,
} from 'kafkajs';
import { MembershipWatch } from '../membership-watch';
import { TransactionGuard } from '../transaction-guard';
import { UndecodableBatchError } from '../../errors/undecodable-batch-error';
import { ProduceRefusedError } from '../../errors/produce-refused-error';
import { isFencedError } from '../../errors/producer-fenced-error';
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
  GlobalFetchedBatch,
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
import { kafkajsCompressionType, registerKafkajsCodecs } from './kafkajs-compression';

const ASSIGNOR_NAME = 'GmartStreamsAssignor';

/** Kafka's isolation level READ_UNCOMMITTED on the wire (ListOffsets: the high watermark). */
const READ_UNCOMMITTED = 0;
/** Member userData asking for an application shutdown. */
const SHUTDOWN_REQUEST = Buffer.from('gmart-streams:shutdown-application');
/** Topic name (never subscribed) used as the shutdown signal in assignments. */
const SHUTDOWN_SIGNAL_TOPIC = '__gmart_streams_shutdown_application';

function kafkajsLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: { level: number; log: { message: string; [k: string]: unknown } }) => {
      const { message, broker, groupId, error } = log;
      const fields = { client: 'kafkajs', broker, groupId, error };
      if (level === logLevel.ERROR) logger.error(message, fields);
      else if (level === logLevel.WARN) logger.warn(message, fields);
      else if (level === logLevel.INFO) logger.debug(message, fields);
    };
}

/** A record as kafkajs' `sendBatch` takes it. */
interface KafkajsMessage {
  key: Buffer | null;
  value: Buffer | null;
  partition: number | undefined;
  timestamp: string;
  headers: Headers;
}

/**
 * Per-partition fetch size of a stream thread's consumer unless `consumer.maxBytesPerPartition` is
 * set (kafkajs' default is 1 MiB). kafkajs decodes a whole fetch response into record objects before
 * the first is processed, which all stay alive while the batch is processed (Java's consumer decodes
 * lazily): smaller fetches keep fewer of them alive through each young-generation GC. Fairness
 * between partitions holds: a broker returns an oversized first batch only for the first non-empty
 * partition of a fetch (KIP-74) and kafkajs shuffles the partitions of every fetch request.
 */
export const STREAM_FETCH_MAX_BYTES_PER_PARTITION = 128 * 1024;

/** Batches the global consumer hands over before waiting for the oldest to be applied. */
const GLOBAL_READ_AHEAD = 8;
/** Fetch size of the global consumer unless configured: Kafka's `fetch.max.bytes` default (50 MB). */
const GLOBAL_FETCH_MAX_BYTES = 50 * 1024 * 1024;

/**
 * kafkajs headers as the runtime's: a repeated header keeps its last value. kafkajs makes a fresh
 * object per message, so it is reused unless a header repeats (no copy on the hot path).
 */
function toHeaders(h: Record<string, unknown> | undefined): Headers {
  if (!h) return {};
  for (const k in h) {
    if (Array.isArray(h[k])) {
      const out: Headers = {};
      for (const key in h) {
        const v = h[key];
        out[key] = Array.isArray(v)
          ? (v[v.length - 1] as Buffer | string)
          : (v as Buffer | string | undefined);
      }
      return out;
    }
  }
  return h as Headers;
}

/**
 * kafkajs drops, without an error, the messages of a partition its metadata does not know yet (a
 * partition added since its last metadata refresh): `sendBatch` resolves without them. This
 * partitioner wrapper makes such a message a stale-metadata error instead, on which kafkajs
 * refreshes its metadata and retries the send.
 */
function knownPartitionsOnly(create: ICustomPartitioner): ICustomPartitioner {
  return () => {
    const inner = create();
    return (args) => {
      const p = args.message.partition;
      if (typeof p === 'number') {
        const md = args.partitionMetadata;
        if (md[p]?.partitionId !== p && !md.some((m) => m.partitionId === p)) {
          const error = new Error(
            `Partition ${p} of topic "${args.topic}" is not in the producer's metadata yet`,
          ) as Error & { retriable: boolean };
          error.name = 'KafkaJSMetadataNotLoaded';
          error.retriable = true;
          throw error;
        }
        return p;
      }
      return inner(args);
    };
  };
}

/** What the patched kafkajs `sendBatch` rejects with when the broker refused some partitions' batches. */
interface KafkajsProduceRefused extends Error {
  readonly refused: ReadonlyArray<{ topicName: string; partition: number; error: Error }>;
  readonly acknowledged: RecordMetadata[];
}

/**
 * The runtime's records for a kafkajs batch's decoded records (`batch.records`, kafkajs patch). A
 * record of a record batch (magic 2) already is one (topic and partition set, offset and timestamp
 * numbers, `undecodable` unset): taken as it is, no second object per record. A copy only for a
 * record of an undecodable batch (`undecodable` set), one with duplicate header keys (the last value
 * wins), a legacy message set's message, or one whose timestamp is beyond 2^53 (not exact as a
 * number: it stands as undecodable, for the deserialization handler, naming the timestamp).
 */
function toFetchedRecords(topic: string, partition: number, decoded: DecodedRecord[]): FetchedRecord[] {
  const records: FetchedRecord[] = new Array(decoded.length);
  for (let i = 0; i < decoded.length; i++) {
    const r = decoded[i];
    records[i] =
      r.topic === topic &&
      r.partition === partition &&
      typeof r.offset === 'number' &&
      typeof r.timestamp === 'number' &&
      r.undecodableBatch === undefined &&
      (r.headers as Headers) === toHeaders(r.headers as Record<string, unknown>)
        ? (r as unknown as FetchedRecord)
        : copyFetchedRecord(topic, partition, r);
  }
  return records;
}

/**
 * A batch's decoded records; a kafkajs installed without this patch's `records` (node_modules not
 * reinstalled since `patches/` changed) hands over its messages, which `toFetchedRecords` copies.
 */
function decodedRecords(batch: Batch): DecodedRecord[] {
  return (batch.records as DecodedRecord[] | undefined) ?? (batch.messages as unknown as DecodedRecord[]);
}

/** `toFetchedRecords`' copy, for the records it cannot take as they are. */
function copyFetchedRecord(topic: string, partition: number, m: DecodedRecord): FetchedRecord {
  const offset = exactOffset(topic, partition, m.offset);
  const bad = m.undecodableBatch;
  const timestamp = Number(m.timestamp);
  if (bad || !Number.isSafeInteger(timestamp))
    return {
      topic,
      partition,
      offset,
      timestamp: bad ? timestamp : -1,
      key: null,
      value: null,
      headers: {},
      undecodable: bad
        ? new UndecodableBatchError(topic, partition, Number(bad.firstOffset), offset, bad.codec, bad.error)
        : new UndecodableBatchError(
            topic,
            partition,
            offset,
            offset,
            'none',
            new RangeError(`timestamp ${String(m.timestamp)} is beyond 2^53 ms, not exact as a number`),
          ),
    } as FetchedRecord;
  // In the shape of the runtime's consumed record (ConsumedRaw: topic and partition first,
  // `undecodable` last), which the runtime then takes as it is instead of copying it per record.
  return {
    topic,
    partition,
    offset,
    timestamp,
    key: m.key ?? null,
    value: m.value ?? null,
    headers: toHeaders(m.headers as Record<string, unknown> | undefined),
    undecodable: undefined,
  } as FetchedRecord;
}

/** An offset as a number; refused beyond 2^53 (the runtime's positions and commits are numbers). */
function exactOffset(topic: string, partition: number, offset: number | string): number {
  const n = Number(offset);
  if (!Number.isSafeInteger(n))
    throw new RangeError(
      `Offset ${String(offset)} of ${topic}-${partition} is beyond 2^53: the runtime's offsets are numbers`,
    );
  return n;
}

/** The kafkajs implementation of the client seam. */
export class KafkajsClientFactory implements KafkaClientFactory {
  private readonly kafka: Kafka;

  constructor(private readonly connection: ClientConnection) {
    registerKafkajsCodecs();
    const config: KafkaConfig = {
      brokers: connection.bootstrapServers,
      clientId: connection.clientId,
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(connection.logger) as KafkaConfig['logCreator'],
      ...(connection.options as Partial<KafkaConfig>),
    };
    if (connection.ssl !== undefined) config.ssl = connection.ssl as KafkaConfig['ssl'];
    if (connection.sasl !== undefined) config.sasl = connection.sasl as KafkaConfig['sasl'];
    this.kafka = new Kafka(config);
  }

  /**
   * kafkajs has transactional producers; its `sendOffsets` sends TxnOffsetCommit v0-v1 only, without
   * the consumer's group metadata (KIP-447): the patch (`patches/kafkajs+2.2.4.patch`) adds v3 with
   * the generation and member id, and the generation to GROUP_JOIN events.
   */
  capabilities(): ClientCapabilities {
    return {
      client: 'kafkajs 2.2.4',
      transactions: true,
      transactionalOffsetsWithGroupMetadata: true,
      // The patch's `beforeRejoin` awaits the runtime's commit before the JoinGroup.
      rejoinAwaitsRebalancing: true,
    };
  }

  consumer(settings: ConsumerSettings): StreamsConsumer {
    if (settings.groupInstanceId !== undefined)
      throw new Error('kafkajs has no static membership (group.instance.id): use the platformatic client');
    if ((settings.rebalanceProtocol ?? 'eager') !== 'eager')
      throw new Error(
        'kafkajs rebalances eagerly only: use the platformatic client for cooperative rebalancing',
      );
    const assigner: PartitionAssigner = ({ cluster }) => ({
      name: ASSIGNOR_NAME,
      version: 1,
      async assign({ members, topics }) {
        const ids = members.map((m) => m.memberId).sort();
        const shutdown = members.some((m) => {
          const md = AssignerProtocol.MemberMetadata.decode(m.memberMetadata);
          return !!md?.userData && SHUTDOWN_REQUEST.equals(md.userData);
        });
        if (shutdown) {
          // Nobody gets partitions; everybody learns about the shutdown from the signal topic.
          return ids.map((memberId) => ({
            memberId,
            memberAssignment: AssignerProtocol.MemberAssignment.encode({
              version: 1,
              assignment: { [SHUTDOWN_SIGNAL_TOPIC]: [] },
              userData: Buffer.alloc(0),
            }),
          }));
        }
        const counts = new Map<string, number>();
        for (const t of topics) counts.set(t, cluster.findTopicPartitionMetadata(t).length);
        const userData = new Map<string, Buffer>();
        for (const m of members)
          userData.set(
            m.memberId,
            AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData ?? Buffer.alloc(0),
          );
        const plan = settings.assignor(ids, counts, userData);
        return ids.map((memberId) => ({
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment: Object.fromEntries(plan.get(memberId) ?? new Map()),
            userData: Buffer.alloc(0),
          }),
        }));
      },
      protocol({ topics }) {
        const own = typeof settings.userData === 'function' ? settings.userData() : settings.userData;
        const userData = settings.requestShutdown ? SHUTDOWN_REQUEST : (own ?? Buffer.alloc(0));
        return {
          name: ASSIGNOR_NAME,
          metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData }),
        };
      },
    });
    const { partitionsConsumedConcurrently, ...consumerOptions } = (settings.options ?? {}) as {
      partitionsConsumedConcurrently?: number;
    };
    const consumer = this.kafka.consumer({
      groupId: settings.groupId,
      partitionAssigners: [assigner],
      allowAutoTopicCreation: false,
      maxBytesPerPartition: STREAM_FETCH_MAX_BYTES_PER_PARTITION,
      ...(settings.isolationLevel ? { readUncommitted: settings.isolationLevel === 'read_uncommitted' } : {}),
      ...consumerOptions,
    });
    /** The membership of the last join (KIP-447: sent with the offsets a transaction commits). */
    let membership: ConsumerGroupMetadata = {
      groupId: settings.groupId,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
    };
    /**
     * Moves on at every join and seek: kafkajs then fetches from the committed (or sought) offsets,
     * so a control-only batch reported before is stale and is not handed over.
     */
    let fetchGeneration = 0;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      fetchGeneration++;
      membership = {
        groupId: settings.groupId,
        generationId: e.payload.generationId ?? -1,
        memberId: e.payload.memberId,
        groupInstanceId: null,
      };
    });
    return {
      connect: () => consumer.connect(),
      groupMetadata: () => membership,
      async subscribe(subs: ConsumerSubscription[]) {
        for (const s of subs)
          if (s.topics.length) await consumer.subscribe({ topics: s.topics, fromBeginning: s.fromBeginning });
      },
      async run(
        handler: (batch: FetchedBatch, control: BatchControl) => Promise<void>,
        listener: ConsumerListener,
      ) {
        // kafkajs rejoins at once, without REBALANCING or `beforeRejoin`, when a heartbeat is refused
        // with UNKNOWN_MEMBER_ID (a new member id): the runtime is told the partitions were lost.
        const watch = new MembershipWatch();
        consumer.on(consumer.events.GROUP_JOIN, (e) => {
          if (watch.joined(e.payload.memberId, e.payload.generationId ?? -1)) listener.onLost?.();
          const a = new Map<string, number[]>();
          for (const [t, ps] of Object.entries(e.payload.memberAssignment)) a.set(t, ps as number[]);
          listener.onAssigned?.(a);
        });
        // Unpatched kafkajs ignores `beforeRejoin`: there the commit at least starts (racing the rejoin).
        consumer.on(consumer.events.REBALANCING, () => {
          watch.revoking();
          void listener.onRebalancing?.();
        });
        consumer.on(consumer.events.CRASH, (e) => {
          if (!e.payload.restart) listener.onCrash?.(e.payload.error);
        });
        consumer.on(consumer.events.RECEIVED_UNSUBSCRIBED_TOPICS, (e) => {
          if (e.payload.topicsNotSubscribed.includes(SHUTDOWN_SIGNAL_TOPIC)) listener.onShutdownRequested?.();
        });
        // A fetch holding only control records (a transaction marker written after the records
        // were read, or the marker of an aborted transaction with its records) reaches no
        // eachBatch, only this event, though kafkajs' position moves past it: the runtime gets it
        // as an empty batch, so it can commit that position (else the committed offset stays one
        // behind a trailing marker). Handed over in order: the next batch waits for it.
        let running = true;
        let controlOnly: Promise<void> = Promise.resolve();
        consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
          const p = e.payload as {
            topic: string;
            partition: number;
            lastOffset: string;
            highWatermark: string;
          };
          if ((e.payload as { batchSize: number }).batchSize > 0 || !running) return;
          const batch: FetchedBatch = {
            topic: p.topic,
            partition: p.partition,
            highWatermark: Number(p.highWatermark),
            records: [],
            nextOffset: Number(p.lastOffset) + 1,
          };
          const generation = fetchGeneration;
          const current = () => running && generation === fetchGeneration;
          controlOnly = controlOnly
            .then(() =>
              current()
                ? handler(batch, { heartbeat: async () => undefined, isRunning: current })
                : undefined,
            )
            .catch(() => undefined);
        });
        consumer.on(consumer.events.STOP, () => {
          running = false;
        });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: true,
          partitionsConsumedConcurrently: partitionsConsumedConcurrently ?? 1,
          // The patch's prefetch: the next Fetch goes out while this batch is processed; kafkajs
          // hands its batches over afterwards only where still current (not sought, paused or revoked).
          prefetchMaxBytes: settings.prefetchMaxBytes ?? 0,
          // kafkajs restarts every partition of the new assignment from its committed offset, so
          // the runtime commits here, before the rejoin (kafkajs patch: `beforeRejoin`; the
          // REBALANCING event above started the same commit, which this awaits).
          beforeRejoin: async () => {
            await controlOnly;
            await listener.onRebalancing?.();
            await listener.onJoining?.();
          },
          eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
            await controlOnly;
            const records = toFetchedRecords(batch.topic, batch.partition, decodedRecords(batch));
            await handler(
              {
                topic: batch.topic,
                partition: batch.partition,
                highWatermark: Number(batch.highWatermark),
                records,
                // kafkajs' position after the batch: its last offset counts control records.
                nextOffset: Number(batch.lastOffset()) + 1,
              },
              { heartbeat, isRunning: () => isRunning() && !isStale() },
            );
          },
        });
      },
      commit: (offsets: TopicPartitionOffset[]) =>
        consumer.commitOffsets(
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })),
        ),
      disconnect: () => consumer.disconnect(),
      seek(offsets: TopicPartitionOffset[], generationId?: number) {
        fetchGeneration++;
        // The patched consumer drops the seek unless it is still in `generationId` (it moves to a
        // new generation at the JoinGroup response, before the GROUP_JOIN event).
        for (const o of offsets)
          consumer.seek({ topic: o.topic, partition: o.partition, offset: String(o.offset), generationId });
      },
    };
  }

  producer(options?: Readonly<Record<string, unknown>>, settings?: ProducerSettings): StreamsProducer {
    const compression = kafkajsCompressionType(settings?.compression ?? 'none');
    const { createPartitioner, ...producerOptions } = (options ?? {}) as {
      createPartitioner?: ICustomPartitioner;
    };
    const transactionalId = settings?.transactionalId;
    const producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      ...producerOptions,
      ...(transactionalId !== undefined
        ? {
            transactionalId,
            idempotent: true,
            maxInFlightRequests: 1,
            ...(settings?.transactionTimeoutMs !== undefined
              ? { transactionTimeout: settings.transactionTimeoutMs }
              : {}),
          }
        : {}),
      createPartitioner: knownPartitionsOnly(createPartitioner ?? Partitioners.DefaultPartitioner),
    });
    /** The open kafkajs transaction of a transactional producer (forgotten on any failed call). */
    const tx = new TransactionGuard<Transaction>(transactionalId, 'any-error');
    const transactional: Partial<StreamsProducer> =
      transactionalId === undefined
        ? {}
        : {
            async initTransactions() {
              // kafkajs sends InitProducerId with its first transaction(); one aborted at once (no
              // partition added: no EndTxn is sent) leaves the producer initialised and idle.
              if (tx.isOpen) return;
              const t = await producer.transaction().catch(tx.fenced('init'));
              await t.abort().catch(tx.fenced('init'));
            },
            async beginTransaction() {
              // kafkajs initialises the transactional id (InitProducerId) on the first transaction().
              tx.begin(await producer.transaction().catch(tx.fenced('begin')));
            },
            async sendOffsetsToTransaction(offsets: TopicPartitionOffset[], group: ConsumerGroupMetadata) {
              // TxnOffsetCommit v3 (patched kafkajs) with the group metadata: a stale member is refused.
              const byTopic = new Map<string, { partition: number; offset: string }[]>();
              for (const o of offsets)
                byTopic.set(o.topic, [
                  ...(byTopic.get(o.topic) ?? []),
                  { partition: o.partition, offset: String(o.offset) },
                ]);
              await tx
                .current('sendOffsetsToTransaction')
                .sendOffsets({
                  consumerGroupId: group.groupId,
                  generationId: group.generationId,
                  memberId: group.memberId,
                  groupInstanceId: group.groupInstanceId,
                  topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
                })
                .catch(tx.fenced('sendOffsets'));
            },
            async commitTransaction() {
              await tx.current('commitTransaction').commit().catch(tx.fenced('commit'));
              tx.take();
            },
            async abortTransaction() {
              const open = tx.take();
              if (open) await open.abort().catch(tx.fenced('abort'));
            },
          };
    return {
      ...transactional,
      connect: () => producer.connect(),
      async send(records: ProduceRecord[]): Promise<ProduceAck[]> {
        // Uncompressed, the records go to kafkajs as they are: the patch's one-pass encoder takes
        // numeric timestamps (no message object and no timestamp string per record). Compressed,
        // timestamps go as strings, as kafkajs' types say: its encoders sort each partition's
        // timestamps with the default (string) comparison, several times slower on numbers.
        const asIs = compression === CompressionTypes.None;
        const byTopic = new Map<string, Array<KafkajsMessage | ProduceRecord>>();
        /** Records with an explicit partition, per topic and partition. */
        const explicit = new Map<string, number[]>();
        let lastTopic = '';
        let last: Array<KafkajsMessage | ProduceRecord> | undefined;
        for (const r of records) {
          let list = r.topic === lastTopic ? last : byTopic.get(r.topic);
          if (!list) byTopic.set(r.topic, (list = []));
          lastTopic = r.topic;
          last = list;
          list.push(
            asIs
              ? r
              : {
                  key: r.key,
                  value: r.value,
                  partition: r.partition,
                  timestamp: String(r.timestamp),
                  headers: r.headers,
                },
          );
          if (r.partition !== undefined) {
            let counts = explicit.get(r.topic);
            if (!counts) explicit.set(r.topic, (counts = []));
            counts[r.partition] = (counts[r.partition] ?? 0) + 1;
          }
        }
        const batch = {
          acks: -1,
          compression,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages: messages as never })),
        };
        const toAck = (m: RecordMetadata): ProduceAck => ({
          topic: m.topicName,
          partition: m.partition,
          baseOffset: Number(m.baseOffset ?? -1),
          count: explicit.get(m.topicName)?.[m.partition] ?? 0,
        });
        // A request some partitions of which the broker refused (the patched sendBatch rejects with
        // the written ones and the refused ones): only those failed. Under a transaction it stays
        // open (the written records are in it), unless the producer was fenced.
        const refusedIn = (error: unknown): never => {
          const e = error as Partial<KafkajsProduceRefused>;
          if (e?.name !== 'KafkaJSProduceRefused' || !e.refused || !e.acknowledged) throw error;
          const fenced = e.refused.find((r) => isFencedError(r.error));
          if (fenced) throw fenced.error;
          throw new ProduceRefusedError(
            e.acknowledged.map(toAck),
            e.refused.map((r) => ({ topic: r.topicName, partition: r.partition, error: r.error })),
            { cause: error },
          );
        };
        const result =
          transactionalId === undefined
            ? await producer.sendBatch(batch).catch(refusedIn)
            : await tx.send((t) => t.sendBatch(batch).catch(refusedIn));
        return result.map(toAck);
      },
      disconnect: () => producer.disconnect(),
    };
  }

  admin(): StreamsAdmin {
    const admin = this.kafka.admin();
    return {
      connect: () => admin.connect(),
      listTopics: () => admin.listTopics(),
      async partitionCounts(topics: string[]) {
        const existing = new Set(await admin.listTopics());
        const wanted = topics.filter((t) => existing.has(t));
        const out = new Map<string, number>();
        if (wanted.length === 0) return out;
        const md = await admin.fetchTopicMetadata({ topics: wanted });
        for (const t of md.topics) out.set(t.name, t.partitions.length);
        return out;
      },
      async createTopics(topics: NewTopic[]) {
        if (topics.length === 0) return;
        await admin.createTopics({
          waitForLeaders: true,
          topics: topics.map((t) => ({
            topic: t.topic,
            numPartitions: t.numPartitions,
            replicationFactor: t.replicationFactor,
            configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
          })),
        });
      },
      async endOffsets(topic: string) {
        // ListOffsets read_uncommitted (patched kafkajs; its default is read_committed, the last
        // stable offset): the high watermark, as Kafka's Admin#listOffsets.
        const offsets = await admin.fetchTopicOffsets(topic, { isolationLevel: READ_UNCOMMITTED });
        return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
      },
      async committedOffsets(groupId: string, topic: string, options?: { requireStable?: boolean }) {
        // requireStable: OffsetFetch v7 (patched kafkajs), retried on UNSTABLE_OFFSET_COMMIT.
        const res = await admin.fetchOffsets({
          groupId,
          topics: [topic],
          requireStable: options?.requireStable ?? false,
        });
        const out = new Map<number, number>();
        for (const t of res) for (const p of t.partitions) out.set(p.partition, Number(p.offset));
        return out;
      },
      async describeGroup(groupId: string) {
        const { groups } = await admin.describeGroups([groupId]);
        const g = groups[0];
        const members = (g?.members ?? []).map((m) => {
          const md = m.memberMetadata?.length
            ? AssignerProtocol.MemberMetadata.decode(m.memberMetadata)
            : null;
          const ma = m.memberAssignment?.length
            ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment)
            : null;
          const assignment = new Map<string, number[]>();
          for (const [t, ps] of Object.entries(ma?.assignment ?? {})) assignment.set(t, ps as number[]);
          return { memberId: m.memberId, userData: md?.userData ?? Buffer.alloc(0), assignment };
        });
        return { state: g?.state ?? 'Dead', members };
      },
      disconnect: () => admin.disconnect(),
    };
  }

  /**
   * kafkajs has no manual assignment: a throw-away group of one member reads the topics (never
   * committing); after every join each partition is sought to its current position, so even a
   * rejoin (e.g. after a session timeout) resumes where reading stopped.
   */
  globalConsumer(settings: {
    readonly clientId: string;
    readonly options?: Readonly<Record<string, unknown>>;
  }): GlobalConsumer {
    const consumer = this.kafka.consumer({
      maxBytes: GLOBAL_FETCH_MAX_BYTES,
      ...(settings.options ?? {}),
      groupId: `${settings.clientId}-${randomUUID()}`,
      allowAutoTopicCreation: false,
    });
    const next = new Map<string, number>();
    /** Batches handed over and not yet applied: the consumer fetches on while they are written. */
    const inFlight: Promise<void>[] = [];
    const key = (topic: string, partition: number) => `${partition}\u0000${topic}`;
    let running = false;
    return {
      run: async (topics, positions, onBatch, listener) => {
        for (const p of positions) next.set(key(p.topic, p.partition), p.offset);
        await consumer.connect();
        await consumer.subscribe({ topics: [...topics], fromBeginning: true });
        consumer.on(consumer.events.GROUP_JOIN, (e) => {
          const assigned = e.payload.memberAssignment as Record<string, number[]>;
          for (const [topic, partitions] of Object.entries(assigned))
            for (const partition of partitions) {
              const offset = next.get(key(topic, partition));
              if (offset !== undefined) consumer.seek({ topic, partition, offset: String(offset) });
            }
        });
        consumer.on(consumer.events.CRASH, (e) => {
          if (running) listener.onCrash?.(e.payload.error);
        });
        // A fetch holding only control records (transaction markers) or records of aborted
        // transactions reaches no eachBatch, only this event: the position still moves past them,
        // or a bootstrap waiting for the end offset of a transactionally written topic never ends.
        consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
          const p = e.payload as { topic: string; partition: number; lastOffset: string; batchSize: number };
          if (!running || p.batchSize > 0) return;
          const k = key(p.topic, p.partition);
          const nextOffset = Number(p.lastOffset) + 1;
          if (nextOffset <= (next.get(k) ?? -1)) return;
          next.set(k, nextOffset);
          void onBatch({ topic: p.topic, partition: p.partition, records: [], nextOffset });
        });
        running = true;
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch, heartbeat, isRunning }) => {
            const { topic, partition } = batch;
            const k = key(topic, partition);
            const from = next.get(k) ?? -1;
            const all = toFetchedRecords(topic, partition, decodedRecords(batch));
            const records =
              from > 0 && all.length && all[0].offset < from ? all.filter((r) => r.offset >= from) : all;
            const nextOffset = Math.max(from, Number(batch.lastOffset()) + 1);
            if (!isRunning() || !running) return;
            const out: GlobalFetchedBatch = { topic, partition, records, nextOffset };
            inFlight.push(onBatch(out));
            next.set(k, nextOffset);
            // Read ahead by at most GLOBAL_READ_AHEAD batches (kafkajs fetches again once this returns).
            while (inFlight.length > GLOBAL_READ_AHEAD) await inFlight.shift();
            await heartbeat();
          },
        });
      },
      stop: async () => {
        running = false;
        await consumer.disconnect().catch(() => undefined);
        await Promise.all(inFlight.splice(0));
      },
    };
  }

  async readPartition(
    topic: string,
    partition: number,
    fromOffset: number,
    onBatch: (records: FetchedRecord[]) => void | Promise<void>,
  ): Promise<number> {
    const admin = this.admin();
    await admin.connect();
    // The end is the high watermark now; the consumer reads read_committed (kafkajs' default), so a
    // transaction still open below it is waited for: its records come once it commits, are skipped
    // once it aborts (a restore never stops at the last stable offset with committed records of
    // other producers behind it, nor applies part of a transaction).
    let end: number;
    try {
      end = (await admin.endOffsets(topic)).get(partition) ?? 0;
    } finally {
      await admin.disconnect();
    }
    if (end <= fromOffset) return Math.max(end, fromOffset);
    // kafkajs has no manual assignment: a throw-away group reads the topic, other partitions paused.
    const consumer = this.kafka.consumer({
      groupId: `${this.connection.clientId}-restore-${randomUUID()}`,
      allowAutoTopicCreation: false,
    });
    await consumer.connect();
    let next = fromOffset;
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        let sought = false;
        consumer.on(consumer.events.GROUP_JOIN, () => {
          if (!sought) {
            sought = true;
            consumer.seek({ topic, partition, offset: String(fromOffset) });
          }
        });
        consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
        // A changelog written in transactions ends with a commit marker: kafkajs hands no batch for
        // control records (or aborted ones), but reports having moved past them.
        consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
          const p = e.payload as { topic: string; partition: number; lastOffset: string };
          if (p.topic === topic && p.partition === partition && Number(p.lastOffset) + 1 >= end) resolve();
        });
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              if (batch.partition !== partition) {
                consumer.pause([{ topic, partitions: [batch.partition] }]);
                return;
              }
              const records: FetchedRecord[] = [];
              for (const r of toFetchedRecords(topic, partition, decodedRecords(batch))) {
                if (r.offset < next || r.offset >= end) continue;
                // Restoration has no handler to skip a batch with: a store must not silently miss records.
                if (r.undecodable) {
                  reject(r.undecodable);
                  return;
                }
                records.push(r);
              }
              if (records.length) {
                await onBatch(records);
                next = records[records.length - 1].offset + 1;
              }
              if (Number(batch.lastOffset()) + 1 >= end || next >= end) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return Math.max(next, end);
  }
}
