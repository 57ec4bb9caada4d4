/** Options shared by every error of the library. */
export interface StreamsErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** True when retrying the same operation may succeed. */
  retriable?: boolean;
}

/**
 * The root of every error thrown by `@gmart/streams` (Kafka Streams' `StreamsException`).
 * `retriable` says whether the same operation may succeed when tried again.
 */
export class StreamsError extends Error {
  readonly retriable: boolean;
  override readonly cause?: unknown;

  constructor(message: string, options: StreamsErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
