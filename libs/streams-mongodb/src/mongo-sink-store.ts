import { StateStore } from '@gmart/streams';

/**
 * The per-task buffer of a MongoDB sink, registered with the task as a (non-logged) state store so
 * the runtime's commit goes through it: `flush()` resolves only when MongoDB acknowledged every
 * document buffered before the call, and the runtime commits the input offsets only after that.
 */
export interface MongoSinkStore extends StateStore {
  /** Documents buffered and not yet acknowledged by MongoDB. */
  readonly bufferedCount: number;
  /**
   * Writes every buffered document (`bulkWrite`, unordered upserts, `batchSize` per call), retrying
   * retriable failures with capped exponential backoff. Rejects with a `MongoSinkWriteError` on a
   * write MongoDB refuses for good, or when `retry.maxRetryTimeMs` ran out.
   */
  flush(): Promise<void>;
}
