/**
 * Root of every error raised by `@gmart/deploy`.
 *
 * `retriable` tells a caller whether trying the same operation again may succeed
 * (for example a broker that is still starting), `cause` keeps the underlying error.
 */
export class DeployError extends Error {
  /** Whether retrying the same operation may succeed. */
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** A topics file (or a CLI argument) that cannot be used; the message names the file and the field. */
export class TopicsConfigError extends DeployError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: false, cause });
  }
}

/** Creating or checking topics on the cluster failed. */
export class TopicProvisioningError extends DeployError {}
