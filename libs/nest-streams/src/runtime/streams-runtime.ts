/**
 * Kafka Streams client states (`KafkaStreams.State`), as `@gmart/streams` reports them.
 */
export const StreamsStates = Object.freeze({
  CREATED: 'CREATED',
  REBALANCING: 'REBALANCING',
  RUNNING: 'RUNNING',
  PENDING_SHUTDOWN: 'PENDING_SHUTDOWN',
  NOT_RUNNING: 'NOT_RUNNING',
  PENDING_ERROR: 'PENDING_ERROR',
  ERROR: 'ERROR',
} as const);

/** A Kafka Streams client state name. */
export type StreamsStateName = (typeof StreamsStates)[keyof typeof StreamsStates];

/**
 * The part of `@gmart/streams`' `KafkaStreams` this package drives: lifecycle and state. Kept as
 * an interface so the transport depends on the lifecycle contract, not on construction details.
 */
export interface StreamsRuntime {
  /** Starts processing; resolves once the client has started (it may still be rebalancing). */
  start(): Promise<unknown> | unknown;
  /** Stops processing, committing what was processed, within `timeoutMs`. */
  close(options?: { timeoutMs?: number }): Promise<unknown> | unknown;
  /** The current state. */
  state(): unknown;
  /** Called on every state change. */
  setStateListener(listener: (newState: unknown, oldState: unknown) => void): void;
}

/** The name of a state value (string enums and `{ name }` objects alike). */
export function stateName(state: unknown): string {
  if (typeof state === 'string') return state;
  if (
    state !== null &&
    typeof state === 'object' &&
    'name' in state &&
    typeof (state as { name: unknown }).name === 'string'
  ) {
    return (state as { name: string }).name;
  }
  return String(state);
}
