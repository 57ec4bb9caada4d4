import { ProducerFencedError, isFencedError } from '../errors/producer-fenced-error';
import { StreamsError } from '../errors/streams-error';
import { ProduceRefusedError } from '../errors/produce-refused-error';

/**
 * When a failed transactional call forgets the open transaction: only when the producer was
 * fenced, or on any error (the client's transaction object is unusable after a failure).
 */
export type ForgetTransactionOn = 'fencing' | 'any-error';

/**
 * The open transaction of one transactional producer and the guards both client adapters share:
 * calls outside a transaction are refused, and a fencing error of the client becomes a
 * {@link ProducerFencedError} naming the transactional id and the call.
 */
export class TransactionGuard<T> {
  private open: T | undefined;

  constructor(
    private readonly transactionalId: string | undefined,
    private readonly forgetOn: ForgetTransactionOn,
  ) {}

  /** True while a transaction is open. */
  get isOpen(): boolean {
    return this.open !== undefined;
  }

  /** Remembers the transaction just begun. */
  begin(tx: T): void {
    this.open = tx;
  }

  /** The open transaction; a {@link StreamsError} naming `what` when there is none. */
  current(what: string): T {
    if (this.open === undefined)
      throw new StreamsError(`${what} outside a transaction of producer ${this.transactionalId}`);
    return this.open;
  }

  /** Forgets the open transaction (committed, or about to be aborted) and returns it. */
  take(): T | undefined {
    const open = this.open;
    this.open = undefined;
    return open;
  }

  /**
   * A `catch` handler for the client call `what`: rethrows a fencing error as a
   * {@link ProducerFencedError} (with the client's error as `cause`), any other error as it is.
   */
  fenced(what: string): (error: unknown) => never {
    return (error: unknown) => {
      const isFenced = isFencedError(error);
      if (isFenced || this.forgetOn === 'any-error') this.open = undefined;
      if (isFenced)
        throw new ProducerFencedError(`transactional producer ${this.transactionalId} was fenced (${what})`, {
          cause: error,
        });
      throw error;
    };
  }

  /**
   * Runs the client's `send` in the open transaction (a {@link StreamsError} when there is none):
   * records the broker refused ({@link ProduceRefusedError}) pass through as they are, for the
   * production handler to judge; any other error goes through {@link fenced}.
   */
  send<R>(send: (tx: T) => Promise<R>): Promise<R> {
    return send(this.current('send')).catch((error: unknown) => {
      if (error instanceof ProduceRefusedError) throw error;
      return this.fenced('send')(error);
    });
  }
}
