/**
 * Root of every error the embedded broker raises.
 *
 * `retriable` tells callers whether retrying the same operation may succeed;
 * `cause` keeps the underlying error when one exists.
 */
export class KafkaBrokerError extends Error {
  /** Whether the same operation may succeed when retried. */
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** A frame or field on the wire could not be decoded; the connection is closed. */
export class MalformedRequestError extends KafkaBrokerError {}

/** A broker option or CLI flag is invalid. */
export class InvalidConfigError extends KafkaBrokerError {}

/**
 * An error a handler turns into a Kafka error code in its response
 * (for example UNKNOWN_TOPIC_OR_PARTITION).
 */
export class KafkaProtocolError extends KafkaBrokerError {
  constructor(
    /** Kafka error code, see {@link ErrorCode}. */
    readonly errorCode: number,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
