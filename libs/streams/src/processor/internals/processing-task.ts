import type { HandlerResponse } from '../../errors/error-handler-context';
import type { SerializationOrigin } from '../../errors/production-exception-handler';
import type { Headers, Serde } from '../../serialization/serde';
import type { Cancellable, Punctuator, PunctuationType } from '../punctuation';
import type { Record } from '../record';
import type { StateStore, TaskId } from '../state-store';
import type { DropLog, DropReason } from './task-sensors';

/**
 * What the processor context and the processor nodes may ask of their task (Kafka Streams'
 * `InternalProcessorContext` reaches the task the same narrow way): send, schedule, look up a
 * store, read stream time, report a serialization error. The task implements it; nothing else of
 * the task is visible to them.
 */
export interface ProcessingTask {
  readonly id: TaskId;
  readonly applicationId: string;
  /** Largest timestamp the task has seen (-1 before the first record). */
  readonly streamTime: number;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
  /** Wall-clock time (mockable in the test driver). */
  time(): number;
  /** Asks the runtime to commit soon (`ProcessorContext.commit()`). */
  requestCommit(): void;
  /** A store of this task, or `undefined`. */
  getStore(name: string): StateStore | undefined;
  /** A global store of the instance (any processor may read it), or `undefined`. */
  getGlobalStore(name: string): StateStore | undefined;
  /** Schedules a punctuator; `nodeName` names it in errors. */
  schedule(nodeName: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** Partition count of `topic` (for partitioners). */
  partitionsFor(topic: string): number;
  /** Sends a serialized record; a failure that arrives later goes through the production handler. */
  send(
    nodeName: string,
    topic: string,
    partition: number | undefined,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
  ): void;
  /**
   * Counts a record dropped by a processor (`kafka_stream_dropped_records_total{reason}`); with
   * `log`, also logs a warning with its message and fields (never the record's key or value).
   */
  recordDropped(reason: DropReason, log?: DropLog): void;
  /** Asks the production handler about a record a sink could not serialize. */
  handleSerializationError(
    nodeName: string,
    topic: string,
    record: Record<unknown, unknown>,
    error: Error,
    origin: SerializationOrigin,
  ): HandlerResponse;
}
