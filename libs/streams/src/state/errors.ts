import { StreamsError, type StreamsErrorOptions } from '../errors/streams-error';

/** Options shared by every state error (`cause`, `retriable`). */
export type StateStoreErrorOptions = StreamsErrorOptions;

/**
 * Root of the errors thrown by state stores and the state manager; a {@link StreamsError}
 * (so it carries `retriable` and `cause`).
 */
export class StateStoreError extends StreamsError {
  constructor(message: string, options: StateStoreErrorOptions = {}) {
    super(message, options);
  }
}

/**
 * The store is closed, not yet initialized, or moved to another instance
 * (Kafka Streams' `InvalidStateStoreException`). Retriable for interactive queries.
 */
export class InvalidStateStoreError extends StateStoreError {
  constructor(message: string, options: StateStoreErrorOptions = {}) {
    super(message, { retriable: true, ...options });
  }
}

/** Opening, restoring, flushing or checkpointing local state failed (Kafka Streams' `ProcessorStateException`). */
export class ProcessorStateError extends StateStoreError {}

/** A store was configured with invalid arguments (name, retention, sizes). */
export class InvalidStoreConfigError extends StateStoreError {}
