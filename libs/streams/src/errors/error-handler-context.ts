import { Logger } from '../logger';
import { Headers } from '../serialization/serde';

/** Where a failed record was when it failed (Kafka Streams' `ErrorHandlerContext`). */
export interface ErrorHandlerContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly headers: Headers;
  /** The node that failed, when known. */
  readonly processorNodeId: string | null;
  /** `<subtopology>_<partition>`. */
  readonly taskId: string;
  /** The instance's logger (log positions, never keys or values). */
  readonly logger: Logger;
}

/** A record as bytes, as it was read or as it was to be written. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
}

/** What a handler tells the runtime to do with the failed record. */
export enum HandlerResponse {
  /** Drop the record (and send it to the dead-letter topic when one is configured) and go on. */
  CONTINUE = 'CONTINUE',
  /** Stop the task; the uncaught exception handler decides what happens next. */
  FAIL = 'FAIL',
}
