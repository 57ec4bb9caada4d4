/** A time window: `[start, end)` for time windows, `[start, end]` for session windows, in epoch milliseconds. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** A key together with the window it belongs to (Kafka Streams' `Windowed<K>`). */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}
