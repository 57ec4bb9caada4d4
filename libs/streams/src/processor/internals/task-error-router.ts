import {
  DeadLetterHeaders,
  type DeadLetterReason,
  type DeadLetterRecord,
  type DeadLetterRecordMapper,
} from '../../errors/dead-letter-queue';
import type { DeserializationExceptionHandler } from '../../errors/deserialization-exception-handler';
import {
  type ErrorHandlerContext,
  HandlerResponse,
  type RawRecord,
} from '../../errors/error-handler-context';
import { ProcessingError, TaskFailedError } from '../../errors/processing-error';
import type { ProcessingExceptionHandler } from '../../errors/processing-exception-handler';
import { ProductionError } from '../../errors/production-error';
import type {
  ProductionExceptionHandler,
  SerializationOrigin,
} from '../../errors/production-exception-handler';
import type { Logger } from '../../logger';
import { type Redactor, redactDeadLetterRecord } from '../../redactor';
import type { Headers } from '../../serialization/serde';
import { ProcessorStateError } from '../../state/errors';
import type { Record } from '../record';
import type { RecordContext } from '../record-context';
import type { ConsumedRaw } from './consumed-raw';
import type { OutgoingRecord, RecordCollector } from './record-collector';
import type { TaskSensors } from './task-sensors';

/** What the error router needs of the task's runtime. */
export interface ErrorRoutingEnv {
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
}

/**
 * A task's error routing (Kafka Streams' handler calls in `RecordDeserializer`, `StreamTask`,
 * `RecordCollectorImpl`): asks the deserialization, processing and production handlers about a
 * failed record, counts what is dropped, writes it to the dead-letter topic, and keeps the first
 * asynchronous failure that must stop the task until the task next checks.
 */
export class TaskErrorRouter {
  /** Set by a failed asynchronous send whose handler said FAIL, or a throwing dead-letter mapper. */
  private pendingFailure: Error | null = null;

  constructor(
    private readonly env: ErrorRoutingEnv,
    private readonly taskId: string,
    private readonly partition: number,
    /** The record being processed (`null` during punctuation). */
    private readonly currentRecord: () => RecordContext | null,
  ) {}

  /** The failure that must stop the task, if any. */
  get failure(): Error | null {
    return this.pendingFailure;
  }

  /** Throws the pending failure, if any. */
  check(): void {
    if (this.pendingFailure) throw this.pendingFailure;
  }

  /** A record's key or value could not be deserialized: the handler decides; the record goes to the dead-letter topic. */
  onDeserializationError(raw: ConsumedRaw, nodeName: string, error: Error): void {
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

  /**
   * A processor threw for `record`: production and task failures pass through, and so does local state
   * that cannot be written (a {@link ProcessorStateError}, e.g. a store's write buffer meeting a full
   * disk: skipping the record would not make the disk writable); otherwise the processing handler
   * decides and the raw record goes to the dead-letter topic.
   */
  onProcessingError(
    e: unknown,
    record: Record<unknown, unknown>,
    raw: ConsumedRaw,
    nodeName: string | null,
  ): void {
    if (e instanceof ProductionError || e instanceof TaskFailedError || e instanceof ProcessorStateError)
      throw e;
    const error = toError(e);
    const ctx = this.errorContext(nodeName, raw.topic, raw.partition, raw.offset, raw.headers);
    let response: HandlerResponse;
    try {
      response = this.env.processingHandler.handle(ctx, record, error);
    } catch (handlerError) {
      this.env.logger.error('Processing exception handler threw; failing', {
        taskId: this.taskId,
        error: toError(handlerError),
      });
      response = HandlerResponse.FAIL;
    }
    this.sendToDeadLetter(raw, error, 'processing', nodeName);
    if (response === HandlerResponse.FAIL) {
      throw new ProcessingError(
        `Processing failed in node "${nodeName ?? undefined}" of task ${this.taskId} for ${raw.topic}-${raw.partition} at offset ${raw.offset}: ${error.message}`,
        { cause: error },
      );
    }
    this.env.sensors.dropped('processing_error');
  }

  /** A sink could not serialize a record: the production handler's `handleSerializationException` decides (FAIL without one). */
  onSerializationError(
    nodeName: string,
    topic: string,
    record: Record<unknown, unknown>,
    error: Error,
    origin: SerializationOrigin,
  ): HandlerResponse {
    const c = this.currentRecord();
    const ctx = this.errorContext(
      nodeName,
      c?.topic ?? topic,
      c?.partition ?? this.partition,
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

  /**
   * A send failed after the fact: the production handler decides; CONTINUE drops the record to the
   * dead-letter topic, FAIL keeps the failure for the task's next check.
   */
  onSendFailure(nodeName: string, origin: RecordContext | null, record: OutgoingRecord, error: Error): void {
    const ctx = this.errorContext(
      nodeName,
      origin?.topic ?? record.topic,
      origin?.partition ?? this.partition,
      origin?.offset ?? -1,
      origin?.headers ?? {},
    );
    let response: HandlerResponse;
    try {
      response = this.env.productionHandler.handle(ctx, record, error);
    } catch (handlerError) {
      this.env.logger.error('Production exception handler threw; failing', {
        taskId: this.taskId,
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
    this.pendingFailure ??= new ProductionError(
      `Sending a record to topic "${record.topic}" partition ${record.partition ?? -1} failed in task ${this.taskId} (from ${ctx.topic}-${ctx.partition} offset ${ctx.offset}): ${error.message}`,
      { cause: error },
    );
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
    const redactor = this.env.redactor;
    const mapper = this.env.deadLetterRecordMapper;
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
          taskId: this.taskId,
          deadLetterTopic: dlq,
        });
      } catch (e) {
        this.env.logger.error(
          'The dead-letter record mapper threw; the record is not written and the task fails',
          {
            taskId: this.taskId,
            topic: raw.topic,
            partition: raw.partition,
            offset: raw.offset,
            error: toError(e).name,
          },
        );
        this.pendingFailure ??= new TaskFailedError(
          `The dead-letter record mapper threw for ${raw.topic}-${raw.partition} offset ${raw.offset} in task ${this.taskId}`,
          { cause: e },
        );
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
          taskId: this.taskId,
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
      timestamp: this.currentRecord()?.timestamp ?? -1,
      headers,
      processorNodeId: node,
      taskId: this.taskId,
      logger: this.env.logger,
    };
  }
}

/** `e` as an `Error` (user code may throw anything). */
export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
