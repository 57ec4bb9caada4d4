/**
 * Root of every error thrown by `@gmart/nest-streams`: `retriable` says whether the same
 * operation may succeed if tried again, `cause` holds the underlying error.
 */
export class NestStreamsError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}
