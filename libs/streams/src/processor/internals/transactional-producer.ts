import { ProducerFencedError, isFencedError } from '../../errors/producer-fenced-error';
import { StreamsError } from '../../errors/streams-error';
import type {
  ConsumerGroupMetadata,
  ProduceAck,
  ProduceRecord,
  StreamsProducer,
  TopicPartitionOffset,
} from '../../client/kafka-client';

/**
 * A stream thread's transactional producer under `exactly_once_v2` (Kafka Streams'
 * `StreamsProducer` in EOS mode): a transaction opens with the first send after a commit, every
 * send until the commit belongs to it, and {@link commit} adds the consumed offsets and commits.
 * The record collector sends through a {@link view}; {@link revoke} makes the views refuse sends,
 * so the records of a transaction being thrown away cannot leak into the next one. A fencing
 * error is remembered: every later call rejects with it.
 */
export class TransactionalProducer {
  private open = false;
  private beginning: Promise<void> | null = null;
  private readonly inflight = new Set<Promise<unknown>>();
  /** The commit in flight: sends wait for it, then open the next transaction. */
  private committing: Promise<void> | null = null;
  private generation = 0;
  /** Set once the producer was fenced. */
  fenced: ProducerFencedError | null = null;

  constructor(
    private readonly producer: StreamsProducer,
    private readonly transactionalId: string,
  ) {
    if (!producer.beginTransaction || !producer.commitTransaction || !producer.sendOffsetsToTransaction)
      throw new StreamsError(`producer ${transactionalId} is not transactional`);
  }

  /** True when a transaction is open (or opening). */
  get hasOpenTransaction(): boolean {
    return this.open || this.beginning !== null;
  }

  /** The producer the record collector uses: its sends join the open transaction. */
  view(): StreamsProducer {
    const generation = this.generation;
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: (records: ProduceRecord[]) => {
        if (generation !== this.generation)
          return Promise.reject(new StreamsError('records of an abandoned transaction are not sent'));
        const p = this.sendInTransaction(records);
        this.inflight.add(p);
        const done = () => this.inflight.delete(p);
        p.then(done, done);
        return p;
      },
    };
  }

  private async ensureOpen(): Promise<void> {
    if (this.open) return;
    this.beginning ??= this.producer.beginTransaction!()
      .then(() => {
        this.open = true;
      })
      .finally(() => (this.beginning = null));
    await this.beginning;
  }

  private async sendInTransaction(records: ProduceRecord[]): Promise<ProduceAck[]> {
    // A send never joins a transaction being committed: it opens the next one.
    while (this.committing) await this.committing.catch(() => undefined);
    if (this.fenced) throw this.fenced;
    try {
      await this.ensureOpen();
      return await this.producer.send(records);
    } catch (error) {
      throw this.classify(error, 'send');
    }
  }

  /**
   * Commits the open transaction with `offsets` (the consumed positions) in it; opens one first
   * when only offsets moved. `group` is read just before the offsets are sent (Kafka Streams'
   * `StreamsProducer.commitTransaction` gets `consumer.groupMetadata()` then). Rejects with
   * {@link ProducerFencedError} when fenced.
   */
  async commit(offsets: TopicPartitionOffset[], group: () => ConsumerGroupMetadata): Promise<void> {
    if (this.fenced) throw this.fenced;
    if (!this.hasOpenTransaction && offsets.length === 0) return;
    const done = this.doCommit(offsets, group);
    this.committing = done;
    try {
      await done;
    } finally {
      if (this.committing === done) this.committing = null;
    }
  }

  private async doCommit(offsets: TopicPartitionOffset[], group: () => ConsumerGroupMetadata): Promise<void> {
    try {
      await this.ensureOpen();
      if (offsets.length > 0) await this.producer.sendOffsetsToTransaction!(offsets, group());
      await this.producer.commitTransaction!();
      this.open = false;
    } catch (error) {
      this.open = false;
      throw this.classify(error, 'commit');
    }
  }

  /**
   * Aborts the open transaction, if any (a thread closing its tasks dirty), after refusing further
   * sends of the current views; nothing to do once fenced (the broker aborted it).
   */
  async abort(): Promise<void> {
    await this.revoke();
    if (!this.open || this.fenced) return;
    this.open = false;
    try {
      await this.producer.abortTransaction?.();
    } catch (error) {
      throw this.classify(error, 'abort');
    }
  }

  /** Refuses further sends of the current views and waits for the sends in flight to settle. */
  async revoke(): Promise<void> {
    this.generation++;
    await Promise.allSettled([...this.inflight]);
    if (this.beginning) await this.beginning.catch(() => undefined);
  }

  private classify(error: unknown, what: string): Error {
    if (this.fenced) return this.fenced;
    if (isFencedError(error)) {
      this.fenced =
        error instanceof ProducerFencedError
          ? error
          : new ProducerFencedError(`transactional producer ${this.transactionalId} was fenced (${what})`, {
              cause: error,
            });
      return this.fenced;
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}
