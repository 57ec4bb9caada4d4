import { StreamsError } from '@gmart/streams';

/**
 * Root of the errors `@gmart/gmart` throws outside serdes (generator options, CLI usage). It
 * derives from `@gmart/streams`' `StreamsError`: `retriable` tells whether the same operation may
 * succeed if tried again, `cause` carries an underlying error that is safe to expose.
 */
export class GmartError extends StreamsError {
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options);
  }
}
