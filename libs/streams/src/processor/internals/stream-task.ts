import * as path from 'node:path';
import type { Registry } from 'prom-client';
import { TaskFailedError } from '../../errors/processing-error';
import { ProductionError } from '../../errors/production-error';
import type { HandlerResponse } from '../../errors/error-handler-context';
import type { SerializationOrigin } from '../../errors/production-exception-handler';
import { StreamsError } from '../../errors/streams-error';
import type { MetricsRecordingLevel } from '../../metrics/metrics-recording-level';
import type { Headers, Serde } from '../../serialization/serde';
import type { ContextWithMetricsRegistry } from '../../state/internals/metrics-context';
import { toTimestampedChangelogRecords } from '../../state/internals/timestamped-record-converter';
import type { StateRestoreListener } from '../../state/state-restore-listener';
import type { Cancellable, Punctuator } from '../punctuation';
import { PunctuationType } from '../punctuation';
import { Record } from '../record';
import type { RecordContext } from '../record-context';
import type { StateStore, TaskId } from '../state-store';
import type { ChangelogRestorer } from './changelog-restorer';
import type { ConsumedRaw } from './consumed-raw';
import { ProcessorContextImpl } from './processor-context-impl';
import type { ProcessingTask } from './processing-task';
import { ProcessorStateManager } from './processor-state-manager';
import type { ProcessorTopology } from './processor-topology';
import { PunctuationQueue } from './punctuation-queue';
import type { RecordCollector, SendFailureCallback } from './record-collector';
import { processThroughSource, readSourceRecord } from './source-record';
import { type ErrorRoutingEnv, TaskErrorRouter, toError } from './task-error-router';
import type { DropLog, DropReason } from './task-sensors';

export type { ConsumedRaw } from './consumed-raw';
export { DROP_REASONS, type DropReason, type TaskSensors } from './task-sensors';

/** Everything a task needs from its runtime (real or test driver). */
export interface TaskEnv extends ErrorRoutingEnv {
  readonly applicationId: string;
  /** `exactly_once_v2`: no checkpoint on commit (only on a clean close), see the state manager. */
  readonly exactlyOnce?: boolean;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
  readonly stateDir: string;
  readonly cacheMaxBytes: number;
  /** Shares one record cache among the tasks given the same owner (their stream thread). */
  readonly recordCacheOwner?: object;
  readonly restorer?: ChangelogRestorer;
  readonly restoreListener?: StateRestoreListener;
  readonly metricsRegistry?: Registry;
  /** Which metrics the task's stores record (default `DEBUG`: everything, as outside a runtime). */
  readonly metricsRecordingLevel?: MetricsRecordingLevel;
  /** The instance's global store `name` (readable by every processor), if any. */
  globalStore?(name: string): StateStore | undefined;
  /** Decorated changelog topic of a store, or undefined when it is not logged. */
  changelogTopicFor(storeName: string): string | undefined;
  /** Wall-clock time (mockable). */
  time(): number;
}

/**
 * One sub-topology applied to one partition (Kafka Streams' `StreamTask`): deserializes, extracts
 * timestamps, runs records through the processor graph in offset order, handles errors with the
 * configured handlers, punctuates and tracks the offsets to commit. The same class runs in the
 * real runtime and in the `TopologyTestDriver`.
 */
export class StreamTask implements ProcessingTask {
  readonly context: ProcessorContextImpl;
  readonly stateManager: ProcessorStateManager;
  /** Largest timestamp seen (-1 before the first record). */
  streamTime = -1;
  commitRequested = false;
  /** Handlers, dead-letter topic, and the asynchronous failure thrown at the next process/commit. */
  private readonly errors: TaskErrorRouter;
  private readonly partitionTimes = new Map<string, number>();
  /** Next offset to commit per source topic (all on this task's partition). */
  readonly positions = new Map<string, number>();
  private readonly stores = new Map<string, StateStore>();
  /** The failure callback of each sending node ({@link sendFailureCallback}). */
  private readonly sendCallbacks = new Map<string, SendFailureCallback>();
  private readonly streamTimeQueue = new PunctuationQueue();
  private readonly wallClockQueue = new PunctuationQueue();
  /**
   * Changes since the task was created: records processed, positions moved, punctuations fired
   * (what makes Kafka Streams' `commitNeeded`). {@link commitNeeded} compares it with the last
   * commit's {@link commitMark}.
   */
  private changes = 0;
  private committedChanges = 0;
  private initialized = false;
  private closed = false;
  /** The stores are open and registered (restoring or running): a clean close may checkpoint them. */
  private storesOpen = false;
  /** The stores being opened (`initialize`): a close waits for it, then closes them. */
  private opening: Promise<void> | null = null;
  /** A changelog batch being applied to a store while restoring (a close waits for it). */
  private restoringBatch: Promise<void> | null = null;
  readonly idText: string;
  /** `<stateDir>/<applicationId>/<taskId>`. */
  readonly taskDir: string;

  constructor(
    readonly id: TaskId,
    readonly topology: ProcessorTopology,
    readonly env: TaskEnv,
  ) {
    this.idText = id.toString();
    this.context = new ProcessorContextImpl(this);
    this.errors = new TaskErrorRouter(env, this.idText, id.partition, () => this.context.current);
    this.taskDir = path.join(env.stateDir, env.applicationId, this.idText);
    this.stateManager = new ProcessorStateManager({
      taskId: id,
      applicationId: env.applicationId,
      taskDir: this.taskDir,
      restoreListener: env.restoreListener,
      metricsRegistry: env.metricsRegistry,
      logger: env.logger,
      exactlyOnce: env.exactlyOnce,
    });
  }

  get collector(): RecordCollector {
    return this.env.collector;
  }
  get applicationId(): string {
    return this.env.applicationId;
  }
  get defaultKeySerde(): Serde<unknown> {
    return this.env.defaultKeySerde;
  }
  get defaultValueSerde(): Serde<unknown> {
    return this.env.defaultValueSerde;
  }
  time(): number {
    return this.env.time();
  }
  requestCommit(): void {
    this.commitRequested = true;
  }
  recordDropped(reason: DropReason, log?: DropLog): void {
    this.env.sensors.dropped(reason);
    if (log) this.env.logger.warn(log.message, { taskId: this.idText, reason, ...log.fields });
  }
  partitionsFor(topic: string): number {
    return this.env.collector.partitionsFor(topic);
  }

  get isInitialized(): boolean {
    return this.initialized;
  }

  /**
   * Whether a clean close can checkpoint the task: it runs, its stores are open and restoring
   * (Kafka Streams' RESTORING state, whose clean close checkpoints the offsets restored so far), or
   * they are being opened (Kafka Streams' CREATED state, which `closeClean` closes without touching
   * the checkpoint: the close waits for the stores and checkpoints the offsets they were opened with).
   */
  get canCloseClean(): boolean {
    return this.initialized || this.storesOpen || this.opening !== null;
  }

  /**
   * Whether the task changed anything since the last successful commit that covered it (Kafka
   * Streams' `StreamTask.commitNeeded`): only a task without such changes closes clean when revoked.
   */
  get commitNeeded(): boolean {
    return this.changes !== this.committedChanges;
  }

  /** What a commit taking the task's offsets now covers; pass it to {@link committed} once it succeeded. */
  get commitMark(): number {
    return this.changes;
  }

  /** A commit that took `mark` ({@link commitMark}) succeeded: the changes up to it are committed. */
  committed(mark: number): void {
    if (mark > this.committedChanges) this.committedChanges = mark;
  }

  /**
   * Opens the stores (the state manager first reads the checkpoint, wiping local state when it is
   * missing), restores logged stores from their changelogs, then initializes the processors.
   * Synchronous when the sub-topology has no store.
   */
  initialize(): void | Promise<void> {
    const finish = () => {
      for (const node of this.topology.nodes) {
        this.context.currentNode = node;
        node.init(this.context);
      }
      this.context.currentNode = null;
      this.initialized = true;
    };
    if (this.topology.storeBuilders.length === 0) {
      finish();
      return;
    }
    return (async () => {
      // Closed before its stores were opened (e.g. revoked while an earlier task of its partition
      // was closing): nothing to open.
      if (this.closed) return;
      const opening = this.openStores();
      this.opening = opening;
      try {
        await opening;
      } finally {
        this.opening = null;
      }
      // Closed while its stores were opening: close() closes them once they are open.
      if (this.closed) return;
      await this.restore();
      // Closed while restoring (revoked, or closed dirty under exactly-once): nothing to start.
      if (this.closed) return;
      finish();
    })();
  }

  /** Reads the checkpoint, then opens and registers every store of the task. */
  private async openStores(): Promise<void> {
    await this.stateManager.initialize();
    for (const builder of this.topology.storeBuilders) {
      const store = builder.build();
      this.stores.set(builder.name, store);
      await store.init(this.storeContext(), store);
    }
    this.storesOpen = true;
  }

  private async restore(): Promise<void> {
    const restorer = this.env.restorer;
    if (!restorer) return;
    for (const c of this.stateManager.changelogsToRestore()) {
      const started = Date.now();
      let end = await restorer.endOffset(c.topic, c.partition);
      // A source topic used as changelog is restored up to the task's committed offset only (Kafka
      // Streams' StoreChangelogReader: min(end offset, committed offset)); the records after it are
      // processed, not restored.
      if (c.asSource) end = Math.min(end, await restorer.committedOffset(c.topic, c.partition));
      const from = c.startOffset ?? 0;
      if (this.closed) return;
      this.stateManager.beginRestore(c.topic, c.partition, end);
      if (end > from)
        await restorer.restore(
          c.topic,
          c.partition,
          from,
          async (batch) => {
            // A task closed while restoring (its stores closed and unregistered) takes no more
            // records; the read of the changelog runs to its end and is thrown away.
            if (this.closed) return;
            const applying = this.stateManager.restoreBatch(c.topic, c.partition, batch);
            this.restoringBatch = applying;
            try {
              await applying;
            } catch (error) {
              if (!this.closed) throw error;
            } finally {
              if (this.restoringBatch === applying) this.restoringBatch = null;
            }
          },
          c.asSource ? end : undefined,
        );
      if (this.closed) return;
      this.stateManager.completeRestore(c.topic, c.partition);
      this.env.logger.info('Restored state store', {
        taskId: this.idText,
        store: c.storeName,
        fromOffset: from,
        endOffset: end,
        restored: this.stateManager.restoredCount(c.storeName),
        ms: Date.now() - started,
      });
    }
  }

  private storeContext(): ContextWithMetricsRegistry {
    return {
      metricsRegistry: this.env.metricsRegistry,
      metricsRecordingLevel: this.env.metricsRecordingLevel,
      applicationId: this.env.applicationId,
      taskId: this.id,
      stateDir: this.taskDir,
      cacheMaxBytes: this.env.cacheMaxBytes,
      recordCacheOwner: this.env.recordCacheOwner,
      register: (store, restore, registration) => {
        const source = this.topology.subtopology.sourceChangelogs.get(store.name);
        if (source === undefined) return this.stateManager.registerStore(store, restore, registration);
        // The table's source topic is its changelog (reuse.ktable.source.topics): plain values,
        // restored into the timestamped store with their records' timestamps.
        this.stateManager.registerStore(
          store,
          (batch) => restore(toTimestampedChangelogRecords(batch)),
          { changelogTopic: source },
          true,
        );
      },
      logChange: (name, key, value, timestamp) => {
        const topic = this.env.changelogTopicFor(name);
        if (!topic)
          throw new StreamsError(`Store "${name}" logged a change but the topology has no changelog for it`);
        this.send(name, topic, this.id.partition, key, value, timestamp, {});
      },
      currentTimestamp: () => this.context.current?.timestamp ?? this.streamTime,
      currentHeaders: () => this.context.currentHeaders,
    };
  }

  getStore(name: string): StateStore | undefined {
    return this.stores.get(name);
  }

  getGlobalStore(name: string): StateStore | undefined {
    return this.env.globalStore?.(name);
  }

  schedule(nodeName: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    return type === PunctuationType.STREAM_TIME
      ? this.streamTimeQueue.schedule(nodeName, intervalMs, punctuator, this.streamTime)
      : this.wallClockQueue.schedule(nodeName, intervalMs, punctuator, this.env.time());
  }

  /**
   * Moves the position of `topic` to the consumer's position `next` once every record before it
   * was processed: past control records (transaction markers) and aborted records, which the
   * consumer skips without handing them over (Kafka Streams commits `consumer.position()` when the
   * task has no buffered record left, and `commitNeeded()` notices a position moved by markers).
   */
  advancePosition(topic: string, next: number): void {
    if (next > (this.positions.get(topic) ?? -1)) {
      this.positions.set(topic, next);
      this.changes++;
    }
  }

  /** Processes one record. Throws (a `StreamsError`) only when the task must stop. */
  process(raw: ConsumedRaw): void {
    this.errors.check();
    const source = this.topology.sourceFor(raw.topic);
    if (!source) throw new TaskFailedError(`Task ${this.idText} has no source for topic "${raw.topic}"`);
    this.positions.set(raw.topic, raw.offset + 1);
    this.changes++;
    const partitionTime = this.partitionTimes.get(raw.topic) ?? -1;
    const record = readSourceRecord(source, raw, this.errors, partitionTime);
    if (!record) return;
    const { timestamp } = record;
    if (!(timestamp >= 0)) {
      this.env.logger.warn('Skipping record with invalid timestamp', {
        taskId: this.idText,
        topic: raw.topic,
        partition: raw.partition,
        offset: raw.offset,
        timestamp,
      });
      this.env.sensors.dropped('invalid_timestamp');
      return;
    }
    if (timestamp > partitionTime) this.partitionTimes.set(raw.topic, timestamp);
    processThroughSource(this.context, source, this.errors, raw, record);
    if (timestamp > this.streamTime) {
      this.streamTime = timestamp;
      if (this.streamTimeQueue.size > 0) this.punctuate(this.streamTimeQueue, timestamp);
    }
  }

  /** Fires due wall-clock punctuators. */
  punctuateWallClock(now = this.env.time()): boolean {
    if (this.wallClockQueue.size === 0 || !this.initialized) return false;
    return this.punctuate(this.wallClockQueue, now);
  }

  private punctuate(queue: PunctuationQueue, now: number): boolean {
    return queue.mayPunctuate(now, (nodeName, punctuator, ts) => {
      this.changes++;
      try {
        punctuator(ts);
      } catch (e) {
        if (e instanceof ProductionError || e instanceof TaskFailedError) throw e;
        throw new TaskFailedError(
          `Punctuator of "${nodeName}" in task ${this.idText} failed: ${toError(e).message}`,
          { cause: e },
        );
      }
    });
  }

  /** Sends a serialized record; a failure that arrives later goes through the production handler. */
  send(
    nodeName: string,
    topic: string,
    partition: number | undefined,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
  ): void {
    // The record's origin (the context processed when it was sent) travels as the collector's tag,
    // not in a closure made per record.
    this.env.collector.send(
      { topic, partition, key, value, timestamp, headers },
      this.sendCallbacks.get(nodeName) ?? this.sendFailureCallback(nodeName),
      this.context.current,
    );
  }

  /**
   * The failure callback of the records `nodeName` sends, made once per node: the record's origin
   * (the context processed when it was sent) comes back as the collector's tag.
   */
  private sendFailureCallback(nodeName: string): SendFailureCallback {
    const callback: SendFailureCallback = (record, error, origin) => {
      // Under exactly-once a task closed dirty abandoned its transaction: its records are refused
      // on purpose (never visible) and processed again from the committed offsets; not a failure.
      if (this.closed && this.env.exactlyOnce) return;
      this.errors.onSendFailure(nodeName, origin as RecordContext | null, record, error);
    };
    this.sendCallbacks.set(nodeName, callback);
    return callback;
  }

  handleSerializationError(
    nodeName: string,
    topic: string,
    record: Record<unknown, unknown>,
    error: Error,
    origin: SerializationOrigin,
  ): HandlerResponse {
    return this.errors.onSerializationError(nodeName, topic, record, error, origin);
  }

  /** Throws a pending asynchronous failure (checked before committing). */
  checkFailure(): void {
    this.errors.check();
  }

  /**
   * Flushes the stores' record caches (they forward and log their dirty entries); call before flushing
   * the collector. The stores' write buffers are flushed only with a checkpoint ({@link postCommit}).
   */
  async prepareCommit(): Promise<void> {
    this.checkFailure();
    if (this.stores.size > 0) await this.stateManager.flushCache();
    // Under exactly-once processing goes on beside the rest of the commit: a commit requested from
    // here on is one more (the caches were flushed for this one).
    if (this.env.exactlyOnce) this.commitRequested = false;
  }

  /**
   * After the consumed offsets are committed, as Kafka Streams' `maybeCheckpoint` (at-least-once only):
   * once the changelogs moved more than `CHECKPOINT_OFFSET_DELTA` records past the last checkpoint, the
   * stores are flushed (write buffers to disk) and the checkpoint (acknowledged changelog offsets) is
   * written. A crash restores from the last checkpoint, replaying its changelogs' tail.
   */
  async postCommit(ackedNextOffset: (topic: string, partition: number) => number | undefined): Promise<void> {
    if (this.env.exactlyOnce) return;
    this.commitRequested = false;
    if (this.stores.size === 0) return;
    this.stateManager.updateChangelogOffsets(this.checkpointableOffsets(ackedNextOffset));
    if (!this.stateManager.checkpointNeeded()) return;
    await this.stateManager.flush();
    await this.stateManager.checkpoint();
  }

  /**
   * The changelog offsets a checkpoint holds (Kafka Streams' `checkpointableOffsets`): of each
   * changelog, the last record this task wrote and the broker acknowledged; of a source topic used
   * as changelog, the last record processed (the store holds every one).
   */
  private checkpointableOffsets(
    ackedNextOffset: (topic: string, partition: number) => number | undefined,
  ): Array<{ topic: string; partition: number; offset: number }> {
    const offsets = [];
    for (const tp of this.stateManager.changelogPartitions()) {
      const next = tp.asSource ? this.positions.get(tp.topic) : ackedNextOffset(tp.topic, tp.partition);
      if (next !== undefined) offsets.push({ topic: tp.topic, partition: tp.partition, offset: next - 1 });
    }
    return offsets;
  }

  /**
   * Closes processors and stores; `clean` (after a commit) also flushes and checkpoints the stores,
   * with the changelog offsets `ackedNextOffset` gives (the record collector's, as Kafka Streams
   * writes at a clean close under either guarantee: under exactly-once the only checkpoint).
   */
  async close(
    clean = false,
    ackedNextOffset: (topic: string, partition: number) => number | undefined = () => undefined,
  ): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Stores being opened are closed once open (Kafka Streams opens them within one call, so a task
    // is closed CREATED, with nothing open, or RESTORING): clean, they checkpoint the offsets they
    // were opened with (under exactly-once the checkpoint read was deleted), as `closeClean` leaves
    // the checkpoint of a CREATED task as it was.
    if (this.opening) await this.opening.catch(() => undefined);
    for (const node of this.topology.nodes) {
      try {
        node.close();
      } catch (error) {
        this.env.logger.warn('Closing a processor failed', {
          taskId: this.idText,
          node: node.name,
          error: toError(error),
        });
      }
    }
    if (this.stores.size > 0) {
      // A batch of the restoration being applied ends first: its records are in the store then, and
      // a clean close checkpoints them.
      if (this.restoringBatch) await this.restoringBatch.catch(() => undefined);
      // A clean close follows a commit: what it wrote is acknowledged (and, under exactly-once,
      // committed), and the processed positions of source topics used as changelogs are committed.
      // A task closed while restoring wrote nothing: its checkpoint holds the offsets it restored
      // (Kafka Streams' clean close of a RESTORING task), not what an earlier task of its partition
      // on this thread wrote.
      if (clean && this.initialized)
        this.stateManager.updateChangelogOffsets(this.checkpointableOffsets(ackedNextOffset));
      // (Stores whose opening failed close dirty.)
      await this.stateManager.close(clean && (this.initialized || this.storesOpen) && !this.errors.failure);
    }
  }
}
