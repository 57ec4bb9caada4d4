import { ProduceAck, ProduceRecord, StreamsProducer } from '../../client/kafka-client';
import { ProduceRefusedError } from '../../errors/produce-refused-error';
import { isFencedError } from '../../errors/producer-fenced-error';
import { ProductionError } from '../../errors/production-error';
import { StreamsError } from '../../errors/streams-error';
import { ProducerInterceptor, ProducerRecordMetadata } from '../../interceptors/producer-interceptor';
import { Logger } from '../../logger';
import { defaultPartition } from './murmur2';
import type { ProducerMetadata } from './producer-metadata';
import { OutgoingRecord, RecordCollector, SendFailureCallback } from './record-collector';

const FATAL_NAMES = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSConnectionClosedError',
]);

/** True for errors no handler should swallow (broker unreachable, timeouts after retries). */
function isFatal(error: Error): boolean {
  return FATAL_NAMES.has(error.name) || (error as { retriable?: boolean }).retriable === true;
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Size of a record in a Kafka record batch, roughly (varint overheads counted generously). */
export function sizeOf(r: OutgoingRecord): number {
  let n = 24 + (r.key ? r.key.length : 0) + (r.value ? r.value.length : 0);
  const h = r.headers;
  for (const k in h) {
    const v = h[k];
    n += 8 + k.length + (v === undefined ? 0 : v.length);
  }
  return n;
}

/** Default most records in one produce request (see {@link RecordCollectorLimits.maxRequestRecords}). */
export const MAX_REQUEST_RECORDS = 16_000;

/** Default bytes of one partition's records that make a request ready (Kafka's producer `batch.size`). */
export const DEFAULT_BATCH_BYTES = 16_384;

/** Memory a buffered record is assumed to hold beyond its key and value bytes (see the record bound). */
export const BUFFERED_RECORD_OVERHEAD_BYTES = 256;

/** Limits of a {@link RuntimeRecordCollector}. */
export interface RecordCollectorLimits {
  /** Records buffered before a request is started when none is in flight. */
  readonly batchSize: number;
  /**
   * Buffered bytes of one partition (estimated) that fill its batch, so a request is started when
   * none is in flight, lingering or not: Kafka's producer `batch.size`. Default 16,384 (Kafka's).
   */
  readonly batchBytes?: number;
  /** Largest produce request (estimated bytes; Kafka's `max.request.size`). Default 1 MiB. */
  readonly maxRequestBytes?: number;
  /** Most records in one produce request. Default max(`batchSize`, {@link MAX_REQUEST_RECORDS}). */
  readonly maxRequestRecords?: number;
  /** Buffered bytes from which `needsBackpressure()` says wait. Default 16 x `maxRequestBytes`. */
  readonly maxBufferedBytes?: number;
  /**
   * Longest time a buffered record waits for more before a request that is not full (no partition
   * has `batchBytes` buffered, fewer than `batchSize` records and `maxRequestBytes`) is started:
   * Kafka's producer `linger.ms`. A full buffer and a {@link RuntimeRecordCollector.flush} send at
   * once. Default 0 (a request starts whenever the buffer is dispatched and none is in flight).
   */
  readonly lingerMs?: number;
}

/**
 * Buffers outgoing records and sends them without the hot path awaiting each send; `flush()`
 * waits for the acknowledgements.
 *
 * **Order.** At most one produce request is in flight: while it is, records accumulate, and when
 * it is acknowledged everything buffered (up to `maxRequestBytes`) goes into the next request, at
 * once when it is full, a flush waits or its oldest record has lingered `lingerMs`, else when that
 * record will have. As Kafka's producer (`RecordAccumulator.ready`: a node is ready when one of its
 * partitions has a full batch, its `linger.ms` passed, a flush waits or memory is exhausted; the
 * drain then takes every partition's records), the buffer is full when one partition has
 * `batchBytes` (`batch.size`) buffered, and also at `batchSize` records or `maxRequestBytes`.
 * Records therefore reach every partition in the order they were sent, as Kafka's producer with
 * `max.in.flight.requests.per.connection=1` guarantees. The broker answers per partition: when it
 * refuses some partitions' batches (e.g. a record larger than the topic's `max.message.bytes`), the
 * other partitions' records are acknowledged (written once, never sent again) and only the refused
 * partitions' records are re-sent in halves, left half first, down to single records whose failure
 * goes to the production handler (as Kafka's producer splits a batch too large); later records wait
 * until that is settled, so none overtakes it. In a transaction a refused record leaves the
 * transaction unable to commit, as Kafka's abortable error: whatever the handler said, nothing more
 * is sent and the next send or flush throws a {@link ProductionError}.
 *
 * **Partitions.** A record sent without a partition gets the one Kafka's producer would pick:
 * murmur2 of the serialized key, as Java's default partitioner; records without a key go
 * round-robin. Every request therefore names its partitions, and each acknowledged record's
 * partition and offset are known. Partition counts come from {@link ProducerMetadata}: refreshed
 * every `metadata.max.age.ms`, so partitions added to a sink topic are used without a restart; a
 * topic not known yet (a `TopicNameExtractor` sink) is looked up before its first request.
 *
 * Producer interceptors run here, as in Kafka's producer: `onSend` before the partition is chosen,
 * `onAcknowledgement` with the record's partition and offset.
 */
export class RuntimeRecordCollector implements RecordCollector {
  private buffer: OutgoingRecord[] = [];
  private callbacks: SendFailureCallback[] = [];
  /** Each buffered record's `tag`, handed back to its callback (parallel to {@link callbacks}). */
  private tags: unknown[] = [];
  private bufferedBytes = 0;
  /** The one request in flight (with its retries), or null. */
  private inflight: Promise<void> | null = null;
  /** Records handed to `send()` so far, and records acknowledged or failed so far (FIFO). */
  private enqueued = 0;
  private settled = 0;
  private waiters: Array<{ target: number; resolve: () => void }> = [];
  private readonly ackedNext = new Map<string, number>();
  /** Next partition per topic for records without a key. */
  private readonly roundRobin = new Map<string, number>();
  private fatal: Error | null = null;
  /**
   * In a transaction, the first send failure that means the producer was fenced (Kafka Streams'
   * TaskMigrated); {@link flush} throws it, so the commit aborts and the thread redoes the work.
   */
  private migrated: Error | null = null;
  private readonly batchSize: number;
  private readonly maxRequestBytes: number;
  private readonly maxBufferedBytes: number;
  private readonly maxBufferedRecords: number;
  private readonly maxRequestRecords: number;
  /** Interceptors told of an acknowledged request in one call ({@link ProducerInterceptor.onAcknowledgedRequest}). */
  private readonly requestAcks: ProducerInterceptor[];
  /** Some interceptor wants each acknowledged record's metadata (it has `onAcknowledgement` and no `onAcknowledgedRequest`). */
  private readonly perRecordAcks: boolean;
  /** Records handed over from this count on are held back (see {@link hold}); Infinity when none is. */
  private holdFrom = Infinity;
  /** Resolves when the held records may go (see {@link release}). */
  private released: Promise<void> | null = null;
  private releaseResolve: (() => void) | null = null;
  private readonly lingerMs: number;
  /** When the oldest buffered record was handed over (Date.now(); set with lingering only). */
  private firstBufferedAt = 0;
  /** Starts the request of a buffer that lingered `lingerMs` (see {@link dispatch}). */
  private lingerTimer: NodeJS.Timeout | null = null;
  private readonly batchBytes: number;
  /** Buffered bytes by topic, by partition (records with a partition; see {@link countPartition}). */
  private readonly partitionBytes = new Map<string, number[]>();
  /** Some partition has `batchBytes` buffered. */
  private partitionFull = false;

  constructor(
    private readonly producer: StreamsProducer,
    limits: RecordCollectorLimits | number,
    private readonly metadata: ProducerMetadata,
    private readonly interceptors: ProducerInterceptor[],
    private readonly logger: Logger,
    /** Records are sent in transactions (`exactly_once_v2`): a refused record dooms the transaction. */
    private readonly transactional = false,
  ) {
    this.requestAcks = interceptors.filter((i) => typeof i.onAcknowledgedRequest === 'function');
    this.perRecordAcks = interceptors.some(
      (i) => typeof i.onAcknowledgement === 'function' && typeof i.onAcknowledgedRequest !== 'function',
    );
    const l = typeof limits === 'number' ? { batchSize: limits } : limits;
    this.batchSize = l.batchSize;
    this.batchBytes = l.batchBytes ?? DEFAULT_BATCH_BYTES;
    this.maxRequestBytes = l.maxRequestBytes ?? 1048576;
    this.maxBufferedBytes = l.maxBufferedBytes ?? 16 * this.maxRequestBytes;
    this.lingerMs = l.lingerMs ?? 0;
    // Requests are bounded by bytes (Kafka's producer counts no records): the record bound only caps
    // the work of one request; 2,000 made a record cache's flush of small records (tens of
    // thousands at once) a long series of round trips, one request in flight at a time.
    this.maxRequestRecords = l.maxRequestRecords ?? Math.max(this.batchSize, MAX_REQUEST_RECORDS);
    // A buffered record holds about 256 bytes of memory beyond its key and value (the record, its
    // callback, the Buffer objects): the record bound is the byte bound's worth of those, so a record
    // cache's flush (tens of thousands of small changelog and downstream records at once) is sent
    // behind processing instead of stopping it until most of it is acknowledged.
    this.maxBufferedRecords = Math.max(
      8 * this.batchSize,
      1000,
      Math.floor(this.maxBufferedBytes / BUFFERED_RECORD_OVERHEAD_BYTES),
    );
  }

  send(record: OutgoingRecord, onFailure: SendFailureCallback, tag?: unknown): void {
    if (this.fatal) throw this.fatal;
    let r = record;
    if (this.interceptors.length) {
      for (const i of this.interceptors) {
        try {
          r = i.onSend(r) ?? r;
        } catch (error) {
          this.logger.warn('Producer interceptor onSend threw; ignored', { error });
        }
      }
    }
    if (r.partition === undefined) {
      const partition = this.partitionOf(r);
      if (partition !== undefined) {
        // The caller's record is handed over (RecordCollector.send): set in place, without a copy
        // per record; an interceptor's record may be held elsewhere, so it is copied.
        if (r === record) (r as { partition: number | undefined }).partition = partition;
        else r = { ...r, partition };
      }
    }
    if (this.buffer.length === 0 && this.lingerMs > 0) this.firstBufferedAt = Date.now();
    this.buffer.push(r);
    this.callbacks.push(onFailure);
    this.tags.push(tag);
    const size = sizeOf(r);
    this.bufferedBytes += size;
    if (r.partition !== undefined) this.countPartition(r.topic, r.partition, size);
    this.enqueued++;
    if (this.inflight === null && this.isFull()) this.sendNext();
  }

  /** Adds `size` (negative: taken) to a partition's buffered bytes; notes when it fills a batch. */
  private countPartition(topic: string, partition: number, size: number): void {
    let bytes = this.partitionBytes.get(topic);
    if (bytes === undefined) this.partitionBytes.set(topic, (bytes = []));
    const n = (bytes[partition] ?? 0) + size;
    bytes[partition] = n;
    if (n >= this.batchBytes) this.partitionFull = true;
  }

  /** No partition has bytes buffered (the whole buffer was taken or dropped). */
  private resetPartitions(): void {
    this.partitionBytes.clear();
    this.partitionFull = false;
  }

  /**
   * True when the buffer fills a request: one partition's batch (`batchBytes`), `batchSize` records
   * or `maxRequestBytes`.
   */
  private isFull(): boolean {
    return (
      this.partitionFull || this.buffer.length >= this.batchSize || this.bufferedBytes >= this.maxRequestBytes
    );
  }

  partitionsFor(topic: string): number {
    const n = this.metadata.partitions(topic);
    if (n === undefined)
      throw new StreamsError(
        `Partition count of topic "${topic}" is unknown: partitioners need topics that exist when the application starts`,
      );
    return n;
  }

  /**
   * The partition Kafka's default partitioner gives a record sent without one; `undefined` for a
   * topic whose partition count is not known yet (e.g. a topic named by a `TopicNameExtractor`):
   * it is looked up before the request that carries the record ({@link assignPartitions}).
   */
  private partitionOf(r: OutgoingRecord): number | undefined {
    const n = this.metadata.partitions(r.topic);
    if (n === undefined) return undefined;
    if (r.key !== null) return defaultPartition(r.key, n);
    const next = this.roundRobin.get(r.topic) ?? 0;
    this.roundRobin.set(r.topic, next + 1);
    return next % n;
  }

  /** Next offset after the last acknowledged record of a topic-partition written with an explicit partition. */
  ackedNextOffset(topic: string, partition: number): number | undefined {
    return this.ackedNext.get(`${partition}\u0000${topic}`);
  }

  /** Records handed over and not yet acknowledged or failed. */
  get pendingCount(): number {
    return this.enqueued - this.settled;
  }

  /** True when so much is buffered that the caller should wait ({@link waitForCapacity}). */
  needsBackpressure(): boolean {
    return this.bufferedBytes >= this.maxBufferedBytes || this.buffer.length >= this.maxBufferedRecords;
  }

  /** Waits until the buffer is below its bounds again (or, while records are held, until they are released). */
  async waitForCapacity(): Promise<void> {
    while (this.needsBackpressure() && !this.fatal) {
      if (this.inflight === null) this.sendNext();
      if (this.inflight) await this.inflight;
      else if (this.released) await this.released;
      else return;
    }
  }

  /**
   * Starts a request with what is buffered unless one is in flight (which sends it when done): at
   * once when the buffer is full, a flush waits or its oldest record lingered `lingerMs`, else
   * when it will have (Kafka's producer sends a batch when it is full or its `linger.ms` passed).
   */
  dispatch(): void {
    if (this.inflight !== null || this.buffer.length === 0) return;
    if (this.lingerMs === 0 || this.waiters.length > 0 || this.isFull()) {
      this.sendNext();
      return;
    }
    const wait = this.firstBufferedAt + this.lingerMs - Date.now();
    if (wait <= 0) this.sendNext();
    else if (this.lingerTimer === null) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = null;
        if (this.inflight === null) this.sendNext();
      }, wait);
      this.lingerTimer.unref();
    }
  }

  private clearLinger(): void {
    if (this.lingerTimer !== null) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
    }
  }

  /**
   * Holds back every record handed over from now on: none goes into a request until
   * {@link release} (or is dropped by {@link abandon}), while the records handed over before are
   * sent as usual ({@link flush} waits for those). Under exactly-once this keeps the records of the
   * next transaction out of the one being committed, so processing can go on beside the commit.
   */
  hold(): void {
    this.holdFrom = this.enqueued;
    this.released ??= new Promise<void>((resolve) => (this.releaseResolve = resolve));
  }

  /** Sends the held records (see {@link hold}). */
  release(): void {
    this.holdFrom = Infinity;
    this.wakeHeld();
    this.dispatch();
  }

  /**
   * Drops the held records unsent, and every record handed over later (see {@link hold}): their
   * transaction is abandoned (the producer is replaced, the tasks closed dirty and their input
   * processed again).
   */
  abandon(): void {
    this.holdFrom = -Infinity;
    this.settled += this.buffer.length;
    this.buffer = [];
    this.callbacks = [];
    this.tags = [];
    this.bufferedBytes = 0;
    this.resetPartitions();
    this.clearLinger();
    this.wakeWaiters();
    this.wakeHeld();
  }

  private wakeHeld(): void {
    const resolve = this.releaseResolve;
    this.released = null;
    this.releaseResolve = null;
    resolve?.();
  }

  /** Takes up to `maxRequestBytes` from the front of the buffer (at least one record) and sends it. */
  private sendNext(): void {
    // Records at or past `holdFrom` stay (the buffer's first record was handed over as number `enqueued - buffer.length`).
    const sendable = Math.min(this.buffer.length, this.holdFrom - (this.enqueued - this.buffer.length));
    if (sendable <= 0) return;
    this.metadata.refreshIfStale();
    let records: OutgoingRecord[];
    let callbacks: SendFailureCallback[];
    let tags: unknown[];
    if (
      sendable === this.buffer.length &&
      this.bufferedBytes <= this.maxRequestBytes &&
      this.buffer.length <= this.maxRequestRecords
    ) {
      records = this.buffer;
      callbacks = this.callbacks;
      tags = this.tags;
      this.buffer = [];
      this.callbacks = [];
      this.tags = [];
      this.bufferedBytes = 0;
      this.resetPartitions();
      this.clearLinger();
    } else {
      let bytes = 0;
      let n = 0;
      const buf = this.buffer;
      while (n < sendable && n < this.maxRequestRecords) {
        const s = sizeOf(buf[n]);
        if (n > 0 && bytes + s > this.maxRequestBytes) break;
        bytes += s;
        n++;
      }
      // Taken off the front in place: V8 trims a large array's front without copying the rest, where
      // slicing the rest copied it for every request, quadratic in a burst (a record cache's flush
      // hands over tens of thousands of records at once: ~0.1 s per 60,000 records).
      records = buf.splice(0, n);
      callbacks = this.callbacks.splice(0, n);
      tags = this.tags.splice(0, n);
      this.bufferedBytes -= bytes;
      for (const r of records)
        if (r.partition !== undefined) this.countPartition(r.topic, r.partition, -sizeOf(r));
      this.partitionFull = this.somePartitionFull();
    }
    this.inflight = this.sendInOrder(records, callbacks, tags)
      .catch((e) => this.fail(toError(e)))
      .then(() => this.onSettled(records.length));
  }

  /** True when some partition has `batchBytes` buffered (after part of the buffer was taken). */
  private somePartitionFull(): boolean {
    for (const bytes of this.partitionBytes.values())
      for (const n of bytes) if (n !== undefined && n >= this.batchBytes) return true;
    return false;
  }

  private onSettled(n: number): void {
    this.settled += n;
    this.inflight = null;
    if (this.fatal && this.buffer.length) {
      // Nothing more is sent after a fatal failure; what was buffered is reported failed.
      const rest = this.buffer;
      this.buffer = [];
      this.callbacks = [];
      this.tags = [];
      this.bufferedBytes = 0;
      this.resetPartitions();
      for (const r of rest) this.acknowledge(r, Date.now(), this.fatal);
      this.settled += rest.length;
      this.clearLinger();
    }
    this.wakeWaiters();
    this.dispatch();
  }

  /** Resolves the {@link flush} waiters whose records are all settled. */
  private wakeWaiters(): void {
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.target <= this.settled);
      if (ready.length) {
        this.waiters = this.waiters.filter((w) => w.target > this.settled);
        for (const w of ready) w.resolve();
      }
    }
  }

  /** Gives every record of `records` still without a partition one, looking up unknown topics first. */
  private async assignPartitions(records: OutgoingRecord[]): Promise<void> {
    let topics: Set<string> | undefined;
    for (const r of records) if (r.partition === undefined) (topics ??= new Set()).add(r.topic);
    if (!topics) return;
    await this.metadata.learn(topics);
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r.partition !== undefined) continue;
      const partition = this.partitionOf(r);
      // Still unknown: the topic does not exist; the client's error reaches the production handler.
      if (partition !== undefined) records[i] = { ...r, partition };
    }
  }

  /**
   * Sends `records`. Partitions the broker refused (a {@link ProduceRefusedError}: the others were
   * written and are acknowledged) have their records re-sent in halves, in order, down to the single
   * records that fail; a request refused as a whole is re-sent in halves likewise. Never rejects.
   */
  private async sendInOrder(
    records: OutgoingRecord[],
    callbacks: SendFailureCallback[],
    tags: unknown[],
  ): Promise<void> {
    const sentAt = Date.now();
    await this.assignPartitions(records);
    // Parts still to send, a stack: the part sent next is the last one.
    const pending: Array<[OutgoingRecord[], SendFailureCallback[], unknown[]]> = [[records, callbacks, tags]];
    while (pending.length) {
      let [part, partCallbacks, partTags] = pending.pop()!;
      if (this.fatal) {
        for (const r of part) this.acknowledge(r, sentAt, this.fatal);
        continue;
      }
      try {
        this.onWritten(part, await this.producer.send(part as ProduceRecord[]), sentAt);
        continue;
      } catch (e) {
        const error = toError(e);
        let failure = error;
        if (error instanceof ProduceRefusedError) {
          // Kafka's producer answers per partition: what the broker wrote is acknowledged and never
          // sent again; only the refused partitions' records are left.
          const refusedBy = new Map<string, Error>();
          for (const r of error.refused) refusedBy.set(`${r.partition}\u0000${r.topic}`, r.error);
          const written: OutgoingRecord[] = [];
          const refused: OutgoingRecord[] = [];
          const refusedCallbacks: SendFailureCallback[] = [];
          const refusedTags: unknown[] = [];
          for (let i = 0; i < part.length; i++) {
            const r = part[i];
            const partitionError = refusedBy.get(`${r.partition}\u0000${r.topic}`);
            if (partitionError === undefined) written.push(r);
            else {
              refused.push(r);
              refusedCallbacks.push(partCallbacks[i]);
              refusedTags.push(partTags[i]);
              failure = partitionError;
            }
          }
          if (written.length) this.onWritten(written, error.acks, sentAt);
          part = refused;
          partCallbacks = refusedCallbacks;
          partTags = refusedTags;
          if (part.length === 0) continue;
        } else if (this.transactional && isFencedError(error)) {
          // Fenced (ProducerFenced, InvalidProducerEpoch, OutOfOrderSequence...): Kafka Streams'
          // TaskMigrated, not a record's failure: no handler is asked (RecordCollectorImpl's
          // recordSendError), the transaction is aborted and the thread redoes it from the
          // committed offsets (flush throws it at the commit).
          this.migrated ??= error;
          for (const r of part) this.acknowledge(r, sentAt, error);
          continue;
        } else if (isFatal(error)) {
          this.fail(error);
          for (const r of part) this.acknowledge(r, sentAt, error);
          continue;
        }
        if (part.length === 1)
          this.refuse(
            part[0],
            partCallbacks[0],
            partTags[0],
            failure,
            sentAt,
            error instanceof ProduceRefusedError,
          );
        else {
          const mid = Math.ceil(part.length / 2);
          // A stack: the left half is sent first.
          pending.push(
            [part.slice(mid), partCallbacks.slice(mid), partTags.slice(mid)],
            [part.slice(0, mid), partCallbacks.slice(0, mid), partTags.slice(0, mid)],
          );
        }
      }
    }
  }

  /** Acknowledges records the broker wrote (`acks`: their partitions' base offsets). */
  private onWritten(part: OutgoingRecord[], acks: readonly ProduceAck[], sentAt: number): void {
    this.recordAcks(acks);
    if (this.perRecordAcks) {
      // A partition's records are appended in request order from the base offset the broker returns.
      // Next offset per topic, by partition (no key string per record).
      const next = new Map<string, number[]>();
      for (const a of acks) {
        let byPartition = next.get(a.topic);
        if (!byPartition) next.set(a.topic, (byPartition = []));
        byPartition[a.partition] = a.baseOffset;
      }
      let lastTopic: string | undefined;
      let offsets: number[] | undefined;
      for (const r of part) {
        if (r.topic !== lastTopic) {
          lastTopic = r.topic;
          offsets = next.get(r.topic);
        }
        const p = r.partition;
        const offset = p === undefined || offsets === undefined ? undefined : offsets[p];
        if (offset !== undefined && offset >= 0) offsets![p!] = offset + 1;
        this.acknowledge(r, sentAt, null, offset ?? -1, true);
      }
    }
    for (const i of this.requestAcks) {
      try {
        i.onAcknowledgedRequest!(part, sentAt);
      } catch (e) {
        this.logger.warn('Producer interceptor onAcknowledgedRequest threw; ignored', { error: e });
      }
    }
  }

  /**
   * A record that could not be sent: its failure goes to the production handler (`onFailure`, with
   * the record's `tag`). When
   * the broker refused it (`byBroker`) in a transaction, Kafka's producer then refuses to go on (an
   * abortable error): the transaction can only be aborted, so nothing more is sent and every later
   * send and flush throws, whatever the handler said (Kafka Streams' commit fails and the stream
   * thread dies).
   */
  private refuse(
    r: OutgoingRecord,
    onFailure: SendFailureCallback,
    tag: unknown,
    error: Error,
    sentAt: number,
    byBroker: boolean,
  ): void {
    this.acknowledge(r, sentAt, error);
    try {
      onFailure(r, error, tag);
    } catch (handlerError) {
      this.logger.error('Send failure callback threw', { error: toError(handlerError) });
    }
    if (this.transactional && byBroker)
      this.fatal ??= new ProductionError(
        `Sending a record to topic "${r.topic}" partition ${r.partition ?? -1} failed in a transaction, which can only be aborted now: ${error.message}`,
        { cause: error },
      );
  }

  private recordAcks(acks: readonly ProduceAck[]): void {
    for (const a of acks) {
      if (a.count > 0 && a.baseOffset >= 0)
        this.ackedNext.set(`${a.partition}\u0000${a.topic}`, a.baseOffset + a.count);
    }
  }

  private fail(error: Error): void {
    if (!this.fatal)
      this.fatal = new StreamsError(`Producing to Kafka failed: ${error.message}`, {
        cause: error,
        retriable: true,
      });
  }

  /**
   * Reports one record's result to the interceptors' `onAcknowledgement`; with `perRecordOnly` (an
   * acknowledged request) only to those without `onAcknowledgedRequest`, which get the request.
   */
  private acknowledge(
    r: OutgoingRecord,
    sentAt: number,
    error: Error | null,
    offset = -1,
    perRecordOnly = false,
  ): void {
    if (this.interceptors.length === 0) return;
    const md: ProducerRecordMetadata = {
      topic: r.topic,
      partition: r.partition ?? -1,
      offset,
      timestamp: r.timestamp,
      serializedKeySize: r.key?.length ?? -1,
      serializedValueSize: r.value?.length ?? -1,
      sendTimeMs: sentAt,
    };
    for (const i of this.interceptors) {
      if (perRecordOnly && i.onAcknowledgedRequest) continue;
      try {
        i.onAcknowledgement?.(md, error);
      } catch (e) {
        this.logger.warn('Producer interceptor onAcknowledgement threw; ignored', { error: e });
      }
    }
  }

  /**
   * Sends what is buffered and waits for the acknowledgement of every record handed over so far
   * (records sent while waiting belong to later commits), except held ones (see {@link hold});
   * throws a fatal send failure, or in a transaction the fencing error a send met.
   */
  async flush(): Promise<void> {
    const target = Math.min(this.enqueued, this.holdFrom);
    // Kafka's flush(): what is buffered is sendable at once, lingering or not.
    if (this.inflight === null && this.buffer.length > 0) this.sendNext();
    if (this.settled < target) await new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    if (this.fatal) throw this.fatal;
    if (this.migrated) throw this.migrated;
  }
}
