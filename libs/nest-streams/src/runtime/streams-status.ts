import { StreamsStates } from './streams-runtime';

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
  private current: string = StreamsStates.CREATED;
  private changedAt = Date.now();
  private readonly listeners = new Set<(change: StreamsStateChange) => void>();

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
    return this.current === StreamsStates.RUNNING;
  }

  /** Records a state change and tells the listeners. */
  update(state: string): void {
    if (state === this.current) return;
    const change = { state, previous: this.current, at: Date.now() };
    this.current = state;
    this.changedAt = change.at;
    for (const l of this.listeners) l(change);
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
