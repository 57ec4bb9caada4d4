import { StreamsError, StreamsErrorOptions } from '@gmart/streams';

/**
 * The root of every error thrown by `@gmart/streams-mongodb`. It is a `StreamsError`, so it carries
 * `retriable` (trying the same operation again may succeed) and `cause`.
 */
export class MongoSinkError extends StreamsError {
  constructor(message: string, options: StreamsErrorOptions = {}) {
    super(message, options);
  }
}

/** An option of `MongoSink.supplier()` is missing or invalid; `option` names it. */
export class MongoSinkConfigError extends MongoSinkError {
  constructor(
    /** The option at fault, e.g. `batchSize` or `retry.maxBackoffMs`. */
    readonly option: string,
    problem: string,
  ) {
    super(`Invalid MongoDB sink option "${option}": ${problem}`);
  }
}

/**
 * MongoDB refused a write for a reason that retrying cannot fix (e.g. a document too large, a
 * schema validation failure), or a retry budget ran out (then `retriable` is true). The stream
 * thread fails and the offsets of the batch stay uncommitted, so nothing is lost.
 */
export class MongoSinkWriteError extends MongoSinkError {
  constructor(
    message: string,
    /** MongoDB error codes of the failed writes, when the server gave any. */
    readonly codes: readonly number[],
    options: StreamsErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** A record could not be turned into a document (the id or document function failed). */
export class MongoSinkRecordError extends MongoSinkError {}
