import { KafkaStreamsState } from '@gmart/streams';

/** A state change seen by {@link StreamsStatus}. */
export interface StreamsStateChange {
  readonly state: string;
  readonly previous: string;
  readonly at: number;
}

/**
 * The service's view of its streams client: the current state and since when, fed by the
 * transport and read by the health endpoints and metrics.
 */
export class StreamsStatus {
  private current: string = KafkaStreamsState.CREATED;
  private changedAt = Date.now();
  private readonly listeners = new Set<(change: StreamsStateChange) => void>();
  private failureCause: string | undefined;
  private readonly failureListeners = new Set<(cause: string) => void>();
  private lastErrorText: string | undefined;

  /** The current state name. */
  get state(): string {
    return this.current;
  }

  /** When the state last changed (epoch ms). */
  get since(): number {
    return this.changedAt;
  }

  /** Whether the client is processing (`RUNNING`). */
  get ready(): boolean {
    return this.current === KafkaStreamsState.RUNNING;
  }

  /**
   * Why the service cannot go on (the streams client reached `ERROR`, or a required dependency
   * stayed unreachable past its budget), or `undefined` while it can. `/health/live` fails once set.
   */
  get failure(): string | undefined {
    if (this.failureCause !== undefined) return this.failureCause;
    if (this.current === KafkaStreamsState.ERROR)
      return `streams client in ERROR${this.lastErrorText ? `: ${this.lastErrorText}` : ''}`;
    return undefined;
  }

  /** Whether the process should be restarted: {@link failure} is set. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Declares the service failed for good (e.g. MongoDB unreachable past its budget): `/health/live`
   * answers 503 with `cause`, and `runStreamsService` exits non-zero naming it. The first cause wins.
   */
  fail(cause: string): void {
    if (this.failureCause !== undefined) return;
    this.failureCause = cause;
    for (const l of this.failureListeners) l(cause);
  }

  /** Remembers the last error the streams client logged (already redacted), to name an ERROR's cause. */
  noteError(text: string): void {
    this.lastErrorText = text;
  }

  /**
   * Calls `listener` once with the cause when the service fails ({@link fail}, or the streams
   * state becomes `ERROR`); returns a function that unsubscribes.
   */
  onFailure(listener: (cause: string) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** Records a state change and tells the listeners. */
  update(state: string): void {
    if (state === this.current) return;
    const change = { state, previous: this.current, at: Date.now() };
    this.current = state;
    this.changedAt = change.at;
    for (const l of this.listeners) l(change);
    if (state === KafkaStreamsState.ERROR && this.failureCause === undefined) {
      const cause = this.failure!;
      for (const l of this.failureListeners) l(cause);
    }
  }

  /** Calls `listener` on every change; returns a function that unsubscribes. */
  onChange(listener: (change: StreamsStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the state becomes `state` (immediately if it already is). */
  waitFor(state: string, timeoutMs: number): Promise<void> {
    if (this.current === state) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(
          new Error(`streams state did not become ${state} within ${timeoutMs} ms (is ${this.current})`),
        );
      }, timeoutMs);
      const off = this.onChange((c) => {
        if (c.state === state) {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    });
  }
}
