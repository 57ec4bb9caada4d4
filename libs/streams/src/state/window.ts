/**
 * A time window in epoch milliseconds (Kafka Streams' `Window`): `[start, end)` for time and
 * sliding windows, `[start, end]` for session windows. Immutable.
 *
 * ```ts
 * windowed.window().start(); windowed.window().end();
 * ```
 */
export class Window {
  constructor(
    /** The window start (inclusive), in epoch milliseconds. */
    readonly startMs: number,
    /** The window end, in epoch milliseconds. */
    readonly endMs: number,
  ) {
    if (startMs > endMs) throw new Error(`Window: end (${endMs}) is before its start (${startMs})`);
  }

  /** The window start in epoch milliseconds (inclusive). */
  start(): number {
    return this.startMs;
  }

  /** The window end in epoch milliseconds. */
  end(): number {
    return this.endMs;
  }

  /** Whether both windows have the same start and end. */
  equals(other: Window | null | undefined): boolean {
    return !!other && other.startMs === this.startMs && other.endMs === this.endMs;
  }

  /** Whether the windows overlap, ends exclusive (Kafka Streams' `TimeWindow.overlap`). */
  overlap(other: Window): boolean {
    return this.startMs < other.endMs && other.startMs < this.endMs;
  }

  toString(): string {
    return `Window{startMs=${this.startMs}, endMs=${this.endMs}}`;
  }
}

/**
 * A key together with the window it belongs to (Kafka Streams' `Windowed<K>`): the key type of
 * every windowed `KTable` and of window and session store iterators.
 *
 * ```ts
 * .map((windowed, count) => KeyValue.pair(`${windowed.key()}@${windowed.window().start()}`, count))
 * ```
 */
export class Windowed<K> {
  constructor(
    private readonly k: K,
    private readonly w: Window,
  ) {}

  /** The record's key. */
  key(): K {
    return this.k;
  }

  /** The window the key belongs to. */
  window(): Window {
    return this.w;
  }

  /** Same window, and keys equal by `===` (or byte-equal for `Buffer`s). */
  equals(other: Windowed<K> | null | undefined): boolean {
    if (!other || !this.w.equals(other.w)) return false;
    const a = this.k as unknown;
    const b = other.k as unknown;
    if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
    return a === b;
  }

  toString(): string {
    return `[${String(this.k)}@${this.w.startMs}/${this.w.endMs}]`;
  }
}
