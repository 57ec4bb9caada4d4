import * as path from 'node:path';
import {
  DeadLetterHeaders,
  DeadLetterReason,
  DeadLetterRecord,
  DeadLetterRecordMapper,
} from '../../errors/dead-letter-queue';
import { DeserializationExceptionHandler } from '../../errors/deserialization-exception-handler';
import { ErrorHandlerContext, HandlerResponse, RawRecord } from '../../errors/error-handler-context';
import { ProcessingError, TaskFailedError } from '../../errors/processing-error';
import { ProcessingExceptionHandler } from '../../errors/processing-exception-handler';
import { ProductionError } from '../../errors/production-error';
import { ProductionExceptionHandler, SerializationOrigin } from '../../errors/production-exception-handler';
import { StreamsError } from '../../errors/streams-error';
import { Logger } from '../../logger';
import { Redactor, redactDeadLetterRecord } from '../../redactor';
import { Headers, Serde } from '../../serialization/serde';
import { Punctuator, PunctuationType } from '../punctuation';
import { Record } from '../record';
import { StateStore, TaskId } from '../state-store';
import { ProcessorContextImpl } from './processor-context-impl';
import { ProcessorNode } from './processor-nodes';
import { ProcessorTopology } from './processor-topology';
import { PunctuationQueue } from './punctuation-queue';
import { OutgoingRecord, RecordCollector } from './record-collector';
import type { Registry } from 'prom-client';
import { ProcessorStateManager } from '../../state/internals/processor-state-manager';
import type { StateRestoreListener } from '../../state/state-restore-listener';
import { ChangelogRestorer } from './changelog-restorer';
import type { ContextWithMetricsRegistry } from '../../state/internals/metrics-context';
import type { MetricsRecordingLevel } from '../../metrics/metrics-recording-level';

/** A consumed record as bytes, as the task receives it. */
export interface ConsumedRaw {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  /** Set when the record stands for a batch the client could not decode (see `FetchedRecord`). */
  readonly undecodable?: Error;
}

/** Counters a task reports to; the runtime binds them to prom-client. */
/** Why a record was dropped: the `reason` label of `kafka_stream_dropped_records_total`. */
export const DROP_REASONS = [
  'deserialization_error',
  'processing_error',
  'production_error',
  'serialization_error',
  'invalid_timestamp',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface TaskSensors {
  dropped(reason: DropReason): void;
}

/** Everything a task needs from its runtime (real or test driver). */
export interface TaskEnv {
  readonly applicationId: string;
  readonly logger: Logger;
  readonly collector: RecordCollector;
  readonly deserializationHandler: DeserializationExceptionHandler;
  readonly processingHandler: ProcessingExceptionHandler;
  readonly productionHandler: ProductionExceptionHandler;
  readonly deadLetterQueueTopic?: string;
  /** Rewrites dead-letter records before they are written (`deadLetterQueue.mapRecord`). */
  readonly deadLetterRecordMapper?: DeadLetterRecordMapper;
  /** Applied to every dead-letter record after the mapper (`StreamsConfig.redactor`). */
  readonly redactor?: Redactor;
  readonly sensors: TaskSensors;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
  readonly stateDir: string;
  readonly cacheMaxBytes: number;
  readonly restorer?: ChangelogRestorer;
  readonly restoreListener?: StateRestoreListener;
  readonly metricsRegistry?: Registry;
  /** Which metrics the task's stores record (default `DEBUG`: everything, as outside a runtime). */
  readonly metricsRecordingLevel?: MetricsRecordingLevel;
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
export class StreamTask {
  readonly context: ProcessorContextImpl;
  readonly stateManager: ProcessorStateManager;
  /** Largest timestamp seen (-1 before the first record). */
  streamTime = -1;
  commitRequested = false;
  /** Set by a failed asynchronous send whose handler said FAIL; thrown at the next process/commit. */
  private asyncFailure: Error | null = null;
  private readonly partitionTimes = new Map<string, number>();
  /** Next offset to commit per source topic (all on this task's partition). */
  readonly positions = new Map<string, number>();
  private readonly stores = new Map<string, StateStore>();
  private readonly streamTimeQueue = new PunctuationQueue();
  private readonly wallClockQueue = new PunctuationQueue();
  private currentRaw: ConsumedRaw | null = null;
  private initialized = false;
  private closed = false;
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
    this.taskDir = path.join(env.stateDir, env.applicationId, this.idText);
    this.stateManager = new ProcessorStateManager({
      taskId: id,
      applicationId: env.applicationId,
      taskDir: this.taskDir,
      restoreListener: env.restoreListener,
      metricsRegistry: env.metricsRegistry,
      logger: env.logger,
    });
  }

  get collector(): RecordCollector {
    return this.env.collector;
  }

  get isInitialized(): boolean {
    return this.initialized;
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
      await this.stateManager.initialize();
      for (const builder of this.topology.storeBuilders) {
        const store = builder.build();
        this.stores.set(builder.name, store);
        await store.init(this.storeContext(), store);
      }
      await this.restore();
      finish();
    })();
  }

  private async restore(): Promise<void> {
    const restorer = this.env.restorer;
    if (!restorer) return;
    for (const c of this.stateManager.changelogsToRestore()) {
      const started = Date.now();
      const end = await restorer.endOffset(c.topic, c.partition);
      const from = c.startOffset ?? 0;
      this.stateManager.beginRestore(c.topic, c.partition, end);
      if (end > from)
        await restorer.restore(c.topic, c.partition, from, (batch) =>
          this.stateManager.restoreBatch(c.topic, c.partition, batch),
        );
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
      register: (store, restore, registration) =>
        this.stateManager.registerStore(store, restore, registration),
      logChange: (name, key, value, timestamp) => {
        const topic = this.env.changelogTopicFor(name);
        if (!topic)
          throw new StreamsError(`Store "${name}" logged a change but the topology has no changelog for it`);
        this.send(name, topic, this.id.partition, key, value, timestamp, {});
      },
      currentTimestamp: () => this.context.current?.timestamp ?? this.streamTime,
    };
  }

  getStore(name: string): StateStore | undefined {
    return this.stores.get(name);
  }

  schedule(node: ProcessorNode, intervalMs: number, type: PunctuationType, punctuator: Punctuator) {
    return type === PunctuationType.STREAM_TIME
      ? this.streamTimeQueue.schedule(node, intervalMs, punctuator, this.streamTime)
      : this.wallClockQueue.schedule(node, intervalMs, punctuator, this.env.time());
  }

  /** Processes one record. Throws (a `StreamsError`) only when the task must stop. */
  process(raw: ConsumedRaw): void {
    if (this.asyncFailure) throw this.asyncFailure;
    const source = this.topology.sourceFor(raw.topic);
    if (!source) throw new TaskFailedError(`Task ${this.idText} has no source for topic "${raw.topic}"`);
    this.currentRaw = raw;
    this.positions.set(raw.topic, raw.offset + 1);
    if (raw.undecodable) {
      this.onDeserializationError(raw, source.name, raw.undecodable);
      return;
    }
    let key: unknown;
    let value: unknown;
    try {
      key = source.keyDeserializer.deserialize(raw.topic, raw.key, raw.headers);
      value = source.valueDeserializer.deserialize(raw.topic, raw.value, raw.headers);
    } catch (e) {
      this.onDeserializationError(raw, source.name, toError(e));
      return;
    }
    const partitionTime = this.partitionTimes.get(raw.topic) ?? -1;
    const timestamp = source.timestampExtractor.extract(
      {
        topic: raw.topic,
        partition: raw.partition,
        offset: raw.offset,
        timestamp: raw.timestamp,
        key,
        value,
        headers: raw.headers,
      },
      partitionTime,
    );
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
    const ctx = this.context;
    ctx.current = {
      topic: raw.topic,
      partition: raw.partition,
      offset: raw.offset,
      timestamp,
      headers: raw.headers,
    };
    ctx.currentNode = source;
    try {
      source.process(new Record(key, value, timestamp, raw.headers));
    } catch (e) {
      this.onProcessingError(e, new Record(key, value, timestamp, raw.headers));
    } finally {
      ctx.currentNode = null;
      ctx.current = null;
      this.currentRaw = null;
    }
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
    return queue.mayPunctuate(now, (node, punctuator, ts) => {
      const ctx = this.context;
      ctx.currentNode = node;
      ctx.current = null;
      try {
        punctuator(ts);
      } catch (e) {
        if (e instanceof ProductionError || e instanceof TaskFailedError) throw e;
        throw new TaskFailedError(
          `Punctuator of "${node.name}" in task ${this.idText} failed: ${toError(e).message}`,
          { cause: e },
        );
      } finally {
        ctx.currentNode = null;
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
    const origin = this.context.current;
    this.env.collector.send({ topic, partition, key, value, timestamp, headers }, (record, error) =>
      this.onSendFailure(nodeName, origin, record, error),
    );
  }

  private onSendFailure(
    nodeName: string,
    origin: ProcessorContextImpl['current'],
    record: OutgoingRecord,
    error: Error,
  ): void {
    const ctx = this.errorContext(
      nodeName,
      origin?.topic ?? record.topic,
      origin?.partition ?? this.id.partition,
      origin?.offset ?? -1,
      origin?.headers ?? {},
    );
    let response: HandlerResponse;
    try {
      response = this.env.productionHandler.handle(ctx, record, error);
    } catch (handlerError) {
      this.env.logger.error('Production exception handler threw; failing', {
        taskId: this.idText,
        error: toError(handlerError),
      });
      response = HandlerResponse.FAIL;
    }
    if (response === HandlerResponse.CONTINUE) {
      this.env.sensors.dropped('production_error');
      this.sendToDeadLetter(
        { ...record, offset: origin?.offset ?? -1, partition: record.partition ?? -1 },
        error,
        'production',
        nodeName,
      );
      return;
    }
    if (!this.asyncFailure) {
      this.asyncFailure = new ProductionError(
        `Sending a record to topic "${record.topic}" failed in task ${this.idText} (from ${ctx.topic}-${ctx.partition} offset ${ctx.offset}): ${error.message}`,
        { cause: error },
      );
    }
  }

  handleSerializationError(
    nodeName: string,
    topic: string,
    record: Record<unknown, unknown>,
    error: Error,
    origin: SerializationOrigin,
  ): HandlerResponse {
    const c = this.context.current;
    const ctx = this.errorContext(
      nodeName,
      c?.topic ?? topic,
      c?.partition ?? this.id.partition,
      c?.offset ?? -1,
      c?.headers ?? {},
    );
    const handler = this.env.productionHandler;
    const produced = { topic, timestamp: record.timestamp, key: record.key, value: record.value };
    const response = handler.handleSerializationException
      ? handler.handleSerializationException(ctx, produced, error, origin)
      : HandlerResponse.FAIL;
    if (response === HandlerResponse.CONTINUE) this.env.sensors.dropped('serialization_error');
    return response;
  }

  private onDeserializationError(raw: ConsumedRaw, nodeName: string, error: Error): void {
    const ctx = this.errorContext(nodeName, raw.topic, raw.partition, raw.offset, raw.headers);
    let response: HandlerResponse;
    try {
      response = this.env.deserializationHandler.handle(ctx, raw, error);
    } catch (e) {
      throw new TaskFailedError(
        `Deserialization exception handler threw for ${raw.topic}-${raw.partition} offset ${raw.offset}`,
        { cause: e },
      );
    }
    this.sendToDeadLetter(raw, error, 'deserialization', nodeName);
    if (response === HandlerResponse.FAIL) {
      throw new TaskFailedError(
        `Deserialization failed for ${raw.topic}-${raw.partition} at offset ${raw.offset} (source "${nodeName}"); handler said FAIL: ${error.message}`,
        { cause: error },
      );
    }
    this.env.sensors.dropped('deserialization_error');
  }

  private onProcessingError(e: unknown, record: Record<unknown, unknown>): void {
    if (e instanceof ProductionError || e instanceof TaskFailedError) throw e;
    const error = toError(e);
    const node = this.context.currentNode;
    const raw = this.currentRaw!;
    const ctx = this.errorContext(node?.name ?? null, raw.topic, raw.partition, raw.offset, raw.headers);
    let response: HandlerResponse;
    try {
      response = this.env.processingHandler.handle(ctx, record, error);
    } catch (handlerError) {
      this.env.logger.error('Processing exception handler threw; failing', {
        taskId: this.idText,
        error: toError(handlerError),
      });
      response = HandlerResponse.FAIL;
    }
    this.sendToDeadLetter(raw, error, 'processing', node?.name ?? null);
    if (response === HandlerResponse.FAIL) {
      throw new ProcessingError(
        `Processing failed in node "${node?.name}" of task ${this.idText} for ${raw.topic}-${raw.partition} at offset ${raw.offset}: ${error.message}`,
        { cause: error },
      );
    }
    this.env.sensors.dropped('processing_error');
  }

  /**
   * Writes a dropped record to the dead-letter topic, through the `deadLetterQueue.mapRecord` hook
   * when one is set. Without the hook, a processing error's message (thrown by user code, it may
   * quote record values) is replaced by the error's name and node.
   */
  private sendToDeadLetter(
    raw: RawRecord,
    error: Error,
    reason: DeadLetterReason,
    nodeName: string | null,
  ): void {
    const dlq = this.env.deadLetterQueueTopic;
    if (!dlq) return;
    const mapper = this.env.deadLetterRecordMapper;
    const redactor = this.env.redactor;
    const message =
      reason === 'processing' && !mapper && !redactor
        ? `${error.name} in processor "${nodeName ?? 'unknown'}" (message withheld: it may quote record values)`
        : error.message;
    const headers: Headers = {
      ...raw.headers,
      [DeadLetterHeaders.EXCEPTION]: error.name,
      [DeadLetterHeaders.MESSAGE]: message,
      [DeadLetterHeaders.TOPIC]: raw.topic,
      [DeadLetterHeaders.PARTITION]: String(raw.partition),
      [DeadLetterHeaders.OFFSET]: String(raw.offset),
    };
    let out: DeadLetterRecord | null = { key: raw.key, value: raw.value, timestamp: raw.timestamp, headers };
    if (mapper) {
      try {
        out = mapper(out, {
          reason,
          error,
          topic: raw.topic,
          partition: raw.partition,
          offset: raw.offset,
          taskId: this.idText,
          deadLetterTopic: dlq,
        });
      } catch (e) {
        this.env.logger.error(
          'The dead-letter record mapper threw; the record is not written and the task fails',
          {
            taskId: this.idText,
            topic: raw.topic,
            partition: raw.partition,
            offset: raw.offset,
            error: toError(e).name,
          },
        );
        if (!this.asyncFailure) {
          this.asyncFailure = new TaskFailedError(
            `The dead-letter record mapper threw for ${raw.topic}-${raw.partition} offset ${raw.offset} in task ${this.idText}`,
            { cause: e },
          );
        }
        return;
      }
      if (out === null) return;
    }
    if (redactor) out = redactDeadLetterRecord(out, redactor);
    this.env.collector.send(
      {
        topic: dlq,
        partition: undefined,
        key: out.key,
        value: out.value,
        timestamp: out.timestamp,
        headers: out.headers,
      },
      (_r, err) => {
        this.env.logger.error('Writing to the dead-letter topic failed', {
          taskId: this.idText,
          topic: dlq,
          error: err,
        });
      },
    );
  }

  private errorContext(
    node: string | null,
    topic: string,
    partition: number,
    offset: number,
    headers: Headers,
  ): ErrorHandlerContext {
    return {
      topic,
      partition,
      offset,
      timestamp: this.context.current?.timestamp ?? -1,
      headers,
      processorNodeId: node,
      taskId: this.idText,
      logger: this.env.logger,
    };
  }

  /** Throws a pending asynchronous failure (checked before committing). */
  checkFailure(): void {
    if (this.asyncFailure) throw this.asyncFailure;
  }

  /** Flushes stores (caches forward/log their writes); call before flushing the collector. */
  async prepareCommit(): Promise<void> {
    this.checkFailure();
    if (this.stores.size > 0) await this.stateManager.flush();
  }

  /** Writes the checkpoint (acknowledged changelog offsets) after the consumed offsets are committed. */
  async postCommit(ackedNextOffset: (topic: string, partition: number) => number | undefined): Promise<void> {
    this.commitRequested = false;
    if (this.stores.size === 0) return;
    const written = [];
    for (const tp of this.stateManager.changelogPartitions()) {
      const next = ackedNextOffset(tp.topic, tp.partition);
      if (next !== undefined) written.push({ topic: tp.topic, partition: tp.partition, offset: next - 1 });
    }
    await this.stateManager.checkpoint(written);
  }

  /** Closes processors and stores; `clean` (after a commit) also flushes and checkpoints the stores. */
  async close(clean = false): Promise<void> {
    if (this.closed) return;
    this.closed = true;
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
    if (this.stores.size > 0) await this.stateManager.close(clean && !this.asyncFailure);
  }
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
