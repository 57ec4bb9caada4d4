import { ProduceRecord, StreamsProducer } from '../../client/kafka-client';
import { StreamsError } from '../../errors/streams-error';
import { ProducerInterceptor, ProducerRecordMetadata } from '../../interceptors/producer-interceptor';
import { Logger } from '../../logger';
import { OutgoingRecord, RecordCollector, SendFailureCallback } from './record-collector';

const FATAL_NAMES = new Set(['KafkaJSNumberOfRetriesExceeded', 'KafkaJSConnectionError', 'KafkaJSRequestTimeoutError', 'KafkaJSConnectionClosedError']);

/** True for errors no handler should swallow (broker unreachable, timeouts after retries). */
function isFatal(error: Error): boolean {
  return FATAL_NAMES.has(error.name) || (error as { retriable?: boolean }).retriable === true;
}

/**
 * Buffers outgoing records and sends them in batches without awaiting each one (the hot path);
 * `flush()` waits for every acknowledgement. A failed batch is re-sent record by record so the
 * production handler decides per record. Producer interceptors run here, as in Kafka's producer.
 */
export class RuntimeRecordCollector implements RecordCollector {
  private buffer: OutgoingRecord[] = [];
  private callbacks: SendFailureCallback[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly ackedNext = new Map<string, number>();
  private fatal: Error | null = null;

  constructor(
    private readonly producer: StreamsProducer,
    private readonly batchSize: number,
    private readonly partitionCounts: Map<string, number>,
    private readonly interceptors: ProducerInterceptor[],
    private readonly logger: Logger,
    /** Maximum concurrent produce requests before `needsBackpressure()` says wait. */
    private readonly maxInflight = 8,
  ) {}

  send(record: OutgoingRecord, onFailure: SendFailureCallback): void {
    if (this.fatal) throw this.fatal;
    let r = record;
    for (const i of this.interceptors) {
      try {
        r = i.onSend(r) ?? r;
      } catch (error) {
        this.logger.warn('Producer interceptor onSend threw; ignored', { error });
      }
    }
    this.buffer.push(r);
    this.callbacks.push(onFailure);
    if (this.buffer.length >= this.batchSize) this.dispatch();
  }

  partitionsFor(topic: string): number {
    const n = this.partitionCounts.get(topic);
    if (n === undefined) throw new StreamsError(`Partition count of topic "${topic}" is unknown: partitioners need topics that exist when the application starts`);
    return n;
  }

  /** Next offset after the last acknowledged record of a topic-partition written with an explicit partition. */
  ackedNextOffset(topic: string, partition: number): number | undefined {
    return this.ackedNext.get(`${partition}\u0000${topic}`);
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  needsBackpressure(): boolean {
    return this.inflight.size >= this.maxInflight;
  }

  /** Waits until fewer than `maxInflight` requests are pending. */
  async waitForCapacity(): Promise<void> {
    while (this.inflight.size >= this.maxInflight) await Promise.race(this.inflight);
  }

  /** Sends what is buffered, without waiting. */
  dispatch(): void {
    if (this.buffer.length === 0) return;
    const records = this.buffer;
    const callbacks = this.callbacks;
    this.buffer = [];
    this.callbacks = [];
    const sentAt = Date.now();
    const p: Promise<void> = this.producer
      .send(records as ProduceRecord[])
      .then(
        (acks) => {
          for (const a of acks) {
            if (a.count > 0 && a.baseOffset >= 0) this.ackedNext.set(`${a.partition}\u0000${a.topic}`, a.baseOffset + a.count);
          }
          if (this.interceptors.length) for (const r of records) this.acknowledge(r, sentAt, null, acks);
        },
        (error: Error) => this.onBatchFailure(records, callbacks, sentAt, error),
      )
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private async onBatchFailure(records: OutgoingRecord[], callbacks: SendFailureCallback[], sentAt: number, error: Error): Promise<void> {
    if (isFatal(error)) {
      this.fail(error, records, sentAt);
      return;
    }
    if (records.length === 1) {
      this.acknowledge(records[0], sentAt, error);
      callbacks[0](records[0], error);
      return;
    }
    for (let i = 0; i < records.length; i++) {
      try {
        await this.producer.send([records[i] as ProduceRecord]);
        this.acknowledge(records[i], sentAt, null);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        if (isFatal(err)) {
          this.fail(err, records.slice(i), sentAt);
          return;
        }
        this.acknowledge(records[i], sentAt, err);
        callbacks[i](records[i], err);
      }
    }
  }

  private fail(error: Error, records: OutgoingRecord[], sentAt: number): void {
    for (const r of records) this.acknowledge(r, sentAt, error);
    if (!this.fatal) this.fatal = new StreamsError(`Producing to Kafka failed: ${error.message}`, { cause: error, retriable: true });
  }

  private acknowledge(r: OutgoingRecord, sentAt: number, error: Error | null, acks?: { topic: string; partition: number; baseOffset: number }[]): void {
    if (this.interceptors.length === 0) return;
    const partition = r.partition ?? acks?.find((a) => a.topic === r.topic)?.partition ?? -1;
    const md: ProducerRecordMetadata = {
      topic: r.topic,
      partition,
      offset: -1,
      timestamp: r.timestamp,
      serializedKeySize: r.key?.length ?? -1,
      serializedValueSize: r.value?.length ?? -1,
      sendTimeMs: sentAt,
    };
    for (const i of this.interceptors) {
      try {
        i.onAcknowledgement?.(md, error);
      } catch (e) {
        this.logger.warn('Producer interceptor onAcknowledgement threw; ignored', { error: e });
      }
    }
  }

  /** Sends what is buffered and waits for the acknowledgement of every record sent so far; throws a fatal send failure. */
  async flush(): Promise<void> {
    this.dispatch();
    // Only what was sent so far: records sent while waiting belong to later commits.
    await Promise.all([...this.inflight]);
    if (this.fatal) throw this.fatal;
  }
}
