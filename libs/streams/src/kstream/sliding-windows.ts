/**
 * Sliding windows (Kafka Streams' `SlidingWindows`, KIP-450): fixed-size windows `[start, start +
 * timeDifference]`, both ends inclusive, aligned to the records rather than to the epoch. Every
 * record creates its left window `[t - timeDifference, t]` and, when a later record of its key falls
 * within `timeDifference` of it, its right window `[t + 1, t + 1 + timeDifference]`; so each distinct
 * set of records that lie within `timeDifference` of each other is aggregated exactly once. Records
 * earlier than `timeDifference` share the window `[0, timeDifference]`. A record is dropped when its
 * right window's end is before stream time minus grace; a window is updated only while its end is
 * not before stream time minus grace.
 *
 * ```ts
 * grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10_000, 60_000)).count()
 * ```
 */
export class SlidingWindows {
  private constructor(
    /** The size of the windows: the largest time difference between two records of one window. */
    readonly timeDifferenceMs: number,
    private readonly graceMs: number,
  ) {}

  /** Sliding windows of `timeDifferenceMs` that drop every out-of-order record whose windows have closed. */
  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  /** Sliding windows of `timeDifferenceMs` that accept out-of-order records `graceMs` after a window's end. */
  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): SlidingWindows {
    if (!Number.isSafeInteger(timeDifferenceMs) || timeDifferenceMs < 1)
      throw new Error(
        `SlidingWindows time difference must be an integer number of milliseconds >= 1, got ${timeDifferenceMs}`,
      );
    if (!Number.isSafeInteger(graceMs) || graceMs < 0)
      throw new Error(`SlidingWindows grace must be an integer number of milliseconds >= 0, got ${graceMs}`);
    return new SlidingWindows(timeDifferenceMs, graceMs);
  }

  /** How long after a window's end its late records are still accepted. */
  gracePeriodMs(): number {
    return this.graceMs;
  }
}
