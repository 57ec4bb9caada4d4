import { Window } from '../state/window';

function requireDuration(value: number, what: string, min = 0): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${what} must be an integer number of milliseconds >= ${min}, got ${value}`);
  return value;
}

/**
 * Fixed-size windows (Kafka Streams' `TimeWindows`): tumbling when `advanceMs == sizeMs` (the
 * default), hopping when smaller. A window is `[start, start + size)`; starts are multiples of the
 * advance since the epoch. A record is late once its window's end plus the grace period is not
 * after stream time.
 *
 * ```ts
 * TimeWindows.ofSizeAndGrace(20_000, 120_000).advanceBy(5_000)
 * ```
 */
export class TimeWindows {
  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    private readonly graceMs: number,
  ) {}

  /** Tumbling windows of `sizeMs` that drop every out-of-order record whose window has ended. */
  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return TimeWindows.ofSizeAndGrace(sizeMs, 0);
  }

  /** Tumbling windows of `sizeMs` that still accept records `graceMs` after the window ends. */
  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    requireDuration(sizeMs, 'TimeWindows size', 1);
    requireDuration(graceMs, 'TimeWindows grace');
    return new TimeWindows(sizeMs, sizeMs, graceMs);
  }

  /** Hopping windows: a new window starts every `advanceMs` (`0 < advanceMs <= sizeMs`). */
  advanceBy(advanceMs: number): TimeWindows {
    requireDuration(advanceMs, 'TimeWindows advance', 1);
    if (advanceMs > this.sizeMs)
      throw new Error(`TimeWindows advance (${advanceMs}) must not be larger than the size (${this.sizeMs})`);
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  /** How long after a window's end its late records are still accepted. */
  gracePeriodMs(): number {
    return this.graceMs;
  }

  /** The windows `timestamp` falls in, by start time (Kafka Streams' `TimeWindows.windowsFor`). */
  windowsFor(timestamp: number): Window[] {
    let start = this.firstWindowStartFor(timestamp);
    const windows: Window[] = [];
    while (start <= timestamp) {
      windows.push(new Window(start, start + this.sizeMs));
      start += this.advanceMs;
    }
    return windows;
  }

  /**
   * @internal The start of the first window `timestamp` falls in; the others start every
   * `advanceMs` after it, up to `timestamp` (what {@link windowsFor} returns, without building them).
   */
  firstWindowStartFor(timestamp: number): number {
    return (
      Math.floor(Math.max(0, timestamp - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs
    );
  }
}

/**
 * Session windows (Kafka Streams' `SessionWindows`): a key's records closer than the inactivity gap
 * form one session `[first, last]` (both inclusive); a record that bridges sessions merges them.
 */
export class SessionWindows {
  private constructor(
    readonly inactivityGapMs: number,
    private readonly graceMs: number,
  ) {}

  static ofInactivityGapWithNoGrace(inactivityGapMs: number): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGapMs, 0);
  }

  static ofInactivityGapAndGrace(inactivityGapMs: number, graceMs: number): SessionWindows {
    requireDuration(inactivityGapMs, 'SessionWindows inactivity gap', 1);
    requireDuration(graceMs, 'SessionWindows grace');
    return new SessionWindows(inactivityGapMs, graceMs);
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
