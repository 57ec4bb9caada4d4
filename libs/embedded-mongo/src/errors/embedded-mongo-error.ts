/**
 * Root of every error the embedded MongoDB server raises.
 *
 * `retriable` tells callers whether retrying the same operation may succeed;
 * `cause` keeps the underlying error when one exists.
 */
export class EmbeddedMongoError extends Error {
  /** Whether the same operation may succeed when retried. */
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** A server option or CLI flag is invalid. */
export class InvalidConfigError extends EmbeddedMongoError {}

/** A wire message could not be decoded; the connection that sent it is closed. */
export class MalformedMessageError extends EmbeddedMongoError {}

/** The data directory could not be read, written or locked. */
export class StorageError extends EmbeddedMongoError {}

/**
 * An error a command turns into a MongoDB error reply
 * (`{ ok: 0, errmsg, code, codeName }`).
 */
export class CommandError extends EmbeddedMongoError {
  constructor(
    /** MongoDB error code, see {@link ErrorCode}. */
    readonly code: number,
    /** MongoDB code name, for example `BadValue`. */
    readonly codeName: string,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
