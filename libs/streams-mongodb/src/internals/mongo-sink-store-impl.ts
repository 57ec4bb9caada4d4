import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { StateStore, StateStoreContext } from '@gmart/streams';
import { MongoSinkError, MongoSinkWriteError } from '../errors/mongo-sink-error';
import { idKey, MongoDocumentId } from '../mongo-sink-ids';
import { MongoSinkStore } from '../mongo-sink-store';
import { classifyWriteFailure } from './retriable';
import { backoffMs, Sleeper } from './retry-loop';
import { SinkShared } from './sink-shared';

interface Entry {
  readonly id: MongoDocumentId;
  readonly doc: Document;
  readonly seq: number;
}

/**
 * One task's buffer of a MongoDB sink. Documents are kept in arrival order, one per `_id` (a newer
 * write of the same id replaces the buffered one). A drain loop writes them `batchSize` at a time;
 * it starts in the background when a batch is full and on every `flush()`. `flush()` resolves when
 * every document buffered before the call is acknowledged.
 */
export class MongoSinkStoreImpl<K = unknown, V = unknown> implements MongoSinkStore {
  readonly persistent = false;
  private opened = false;
  private closed = false;
  private collection!: Collection<Document>;
  private taskId = '';
  private readonly buffer = new Map<string, Entry>();
  private inFlight = 0;
  private seq = 0;
  private acked = 0;
  private draining: Promise<void> | null = null;
  private failure: Error | null = null;
  private full = false;
  private readonly sleeper = new Sleeper();

  constructor(
    readonly name: string,
    private readonly shared: SinkShared<K, V>,
  ) {}

  get bufferedCount(): number {
    return this.buffer.size + this.inFlight;
  }

  async init(context: StateStoreContext, root: StateStore): Promise<void> {
    this.taskId = context.taskId.toString();
    this.collection = this.shared.options.collection();
    // Not logged: registering only puts the store on the task's flush (commit) path.
    context.register(root, () => undefined, {});
    await this.shared.ensureIndexes(this.collection, this.sleeper, () => this.closed);
    this.opened = true;
    this.gauge();
  }

  /** Buffers a document; returns how many documents the task now holds. */
  add(id: MongoDocumentId, doc: Document): number {
    if (!this.opened || this.closed)
      throw new MongoSinkError(`MongoDB sink store "${this.name}" is not open`);
    const key = idKey(id);
    this.buffer.delete(key);
    this.buffer.set(key, { id, doc, seq: ++this.seq });
    const o = this.shared.options;
    const held = this.bufferedCount;
    if (this.buffer.size >= o.batchSize && !this.draining && !this.failure) this.startDrain();
    if (held >= o.maxBufferedDocuments && !this.full) {
      this.full = true;
      this.shared.metrics.bufferFull.inc({ sink: o.name });
      o.logger.warn('MongoDB sink buffer is full; waiting for the commit to write it', {
        sink: o.name,
        taskId: this.taskId,
        buffered: held,
      });
    }
    if ((this.seq & 255) === 0) this.gauge();
    return held;
  }

  async flush(): Promise<void> {
    const target = this.seq;
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.acked >= target) return;
      if (this.closed)
        throw new MongoSinkError(`MongoDB sink store "${this.name}" of task ${this.taskId} is closed`, {
          retriable: true,
        });
      await (this.draining ?? this.startDrain());
    }
  }

  private startDrain(): Promise<void> {
    const run: Promise<void> = this.drainLoop()
      .catch((e: Error) => {
        if (!this.failure) this.failure = e;
      })
      .finally(() => {
        if (this.draining === run) this.draining = null;
      });
    this.draining = run;
    return run;
  }

  private async drainLoop(): Promise<void> {
    const o = this.shared.options;
    // Keeps going after close(): a drain in progress finishes the buffer while writes succeed.
    while (this.buffer.size > 0 && !this.failure) {
      const chunk: Entry[] = [];
      for (const [key, entry] of this.buffer) {
        chunk.push(entry);
        this.buffer.delete(key);
        if (chunk.length >= o.batchSize) break;
      }
      this.inFlight = chunk.length;
      try {
        await this.writeChunk(chunk);
      } finally {
        this.inFlight = 0;
      }
      this.acked = chunk[chunk.length - 1].seq;
      if (this.bufferedCount < o.maxBufferedDocuments) this.full = false;
      this.gauge();
    }
  }

  private operation(e: Entry): AnyBulkWriteOperation<Document> {
    return this.shared.options.writeMode === 'replace'
      ? { replaceOne: { filter: { _id: e.id } as Document, replacement: e.doc, upsert: true } }
      : { updateOne: { filter: { _id: e.id } as Document, update: { $set: e.doc }, upsert: true } };
  }

  private async writeChunk(chunk: Entry[]): Promise<void> {
    const { options: o, metrics: m } = this.shared;
    const sink = o.name;
    let pending = chunk;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const t0 = process.hrtime.bigint();
      try {
        await this.collection.bulkWrite(
          pending.map((e) => this.operation(e)),
          { ordered: false },
        );
        m.batches.inc({ sink, outcome: 'acknowledged' });
        m.batchDuration.observe({ sink }, Number(process.hrtime.bigint() - t0) / 1e9);
        m.documents.inc({ sink }, pending.length);
        if (attempt > 1)
          o.logger.info('MongoDB sink write succeeded after retries', {
            sink,
            taskId: this.taskId,
            attempts: attempt,
            documents: pending.length,
          });
        return;
      } catch (e) {
        m.batches.inc({ sink, outcome: 'failed' });
        const failure = classifyWriteFailure(e, pending.length);
        if (failure.kind === 'fatal') {
          throw new MongoSinkWriteError(
            `MongoDB refused writes of sink "${sink}" (task ${this.taskId}) for a reason retrying cannot fix (codes ${failure.codes.join(',') || 'none'}); offsets stay uncommitted`,
            failure.codes,
            { cause: e },
          );
        }
        const written = pending.length - failure.indexes.length;
        if (written > 0) m.documents.inc({ sink }, written);
        pending = failure.indexes.map((i) => pending[i]);
        if (this.closed)
          throw new MongoSinkError(`MongoDB sink store "${this.name}" closed while retrying a write`, {
            retriable: true,
            cause: e,
          });
        if (Date.now() - started >= o.maxRetryTimeMs) {
          throw new MongoSinkWriteError(
            `MongoDB sink "${sink}" gave up a write after ${attempt} attempts in ${Date.now() - started} ms (retry.maxRetryTimeMs)`,
            [],
            { retriable: true, cause: e },
          );
        }
        m.retries.inc({ sink, reason: failure.reason });
        const wait = backoffMs(attempt, o.initialBackoffMs, o.maxBackoffMs);
        if (attempt === 1 || attempt % 10 === 0) {
          o.logger.warn('MongoDB sink write failed; retrying (consumption pauses at the next commit)', {
            sink,
            taskId: this.taskId,
            attempt,
            reason: failure.reason,
            documents: pending.length,
            backoffMs: wait,
            error: e,
          });
        }
        await this.sleeper.sleep(wait);
        if (this.closed)
          throw new MongoSinkError(`MongoDB sink store "${this.name}" closed while retrying a write`, {
            retriable: true,
            cause: e,
          });
      }
    }
  }

  private gauge(): void {
    if (this.taskId)
      this.shared.metrics.buffered.set(
        { sink: this.shared.options.name, task_id: this.taskId },
        this.bufferedCount,
      );
  }

  isOpen(): boolean {
    return this.opened && !this.closed;
  }

  /**
   * Closes the store. A drain in progress (e.g. the flush of a commit racing with a rebalance)
   * finishes writing the buffer while MongoDB accepts the writes, so that commit can still succeed;
   * the first failure ends it without retrying. Then what is not acknowledged is dropped: those
   * offsets were not committed, so the records are read again.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sleeper.wake();
    if (this.draining) await this.draining;
    const dropped = this.buffer.size;
    this.buffer.clear();
    if (dropped > 0)
      this.shared.options.logger.info(
        'MongoDB sink closed with unacknowledged documents; their records will be read again',
        { sink: this.shared.options.name, taskId: this.taskId, dropped },
      );
    if (this.taskId)
      this.shared.metrics.buffered.remove({ sink: this.shared.options.name, task_id: this.taskId });
  }
}
