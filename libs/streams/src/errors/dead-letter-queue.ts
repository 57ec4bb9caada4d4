import { Headers } from '../serialization/serde';

/** Header names of a dead-letter record (Kafka Streams' KIP-1034 names). */
export const DeadLetterHeaders = Object.freeze({
  /** The error's class name (`error.name`). */
  EXCEPTION: '__streams.errors.exception',
  /** The error's message (withheld for processing errors unless a `mapRecord` hook is set, see {@link DeadLetterQueueConfig}). */
  MESSAGE: '__streams.errors.message',
  /** Topic, partition and offset of the input record that failed. */
  TOPIC: '__streams.errors.topic',
  PARTITION: '__streams.errors.partition',
  OFFSET: '__streams.errors.offset',
});

/** Why a record went to the dead-letter topic. */
export type DeadLetterReason = 'deserialization' | 'processing' | 'production';

/** A record about to be written to the dead-letter topic (bytes, as they will be written). */
export interface DeadLetterRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  /** The failed record's own headers plus the `__streams.errors.*` headers ({@link DeadLetterHeaders}). */
  readonly headers: Headers;
}

/** Where and why a dead-letter record was made, for a {@link DeadLetterRecordMapper}. */
export interface DeadLetterContext {
  readonly reason: DeadLetterReason;
  /** The error the handler was given (its message may quote record content: never log it unsanitized). */
  readonly error: Error;
  /** Input record's topic, partition and offset (-1 when unknown, e.g. a punctuator's output). */
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** `<subtopology>_<partition>`. */
  readonly taskId: string;
  /** The dead-letter topic. */
  readonly deadLetterTopic: string;
}

/**
 * Rewrites a dead-letter record before it is written (e.g. masks sensitive bytes in the key, the
 * value and the headers, or sanitizes the error message header). Return `null` to write nothing.
 * Must not modify the record's buffers in place: they may be shared with the input record. A
 * mapper that throws fails the task (the record is not written and its offset not committed).
 */
export type DeadLetterRecordMapper = (
  record: DeadLetterRecord,
  context: DeadLetterContext,
) => DeadLetterRecord | null;

/** The dead-letter queue: where records dropped by an exception handler go, and how they look. */
export interface DeadLetterQueueConfig {
  /** The dead-letter topic (created with 1 partition when missing). Default: `deadLetterQueueTopic`. */
  readonly topic?: string;
  /**
   * Applied to every dead-letter record before it is written. With a mapper, the
   * `__streams.errors.message` header of processing errors carries the error's message for the
   * mapper to sanitize; without one it carries only the error's name and the failed node, since a
   * message thrown by user code may quote record values.
   */
  readonly mapRecord?: DeadLetterRecordMapper;
}
