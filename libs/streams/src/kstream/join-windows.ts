/**
 * The time range of a stream-stream join (Kafka Streams' `JoinWindows`): a record at time `t`
 * joins records of the other stream with timestamps in `[t - beforeMs, t + afterMs]`. Records
 * may arrive out of order by up to `graceMs`; left/outer results for unmatched records are
 * emitted once the window plus grace has passed in stream time.
 */
export class JoinWindows {
  private constructor(
    /** How far back, relative to a record of this stream, a record of the other stream may be. */
    readonly beforeMs: number,
    /** How far ahead, relative to a record of this stream, a record of the other stream may be. */
    readonly afterMs: number,
    /** How long after a window ends out-of-order records are still accepted. */
    readonly graceMs: number,
  ) {
    if (beforeMs + afterMs < 0)
      throw new RangeError('JoinWindows: the window interval (beforeMs + afterMs) must not be negative');
    if (!(graceMs >= 0)) throw new RangeError(`JoinWindows: grace must not be negative, got ${graceMs}`);
  }

  /** Records join when their timestamps differ by at most `timeDifferenceMs`; no grace. */
  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  /** Records join when their timestamps differ by at most `timeDifferenceMs`; late records accepted for `graceMs`. */
  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): JoinWindows {
    checkMs(timeDifferenceMs, 'timeDifference');
    checkMs(graceMs, 'grace');
    return new JoinWindows(timeDifferenceMs, timeDifferenceMs, graceMs);
  }

  /** The same windows with `beforeMs` changed (may be negative if `afterMs` makes up for it). */
  before(ms: number): JoinWindows {
    if (!Number.isSafeInteger(ms)) throw new RangeError(`JoinWindows.before: ${ms} is not an integer`);
    return new JoinWindows(ms, this.afterMs, this.graceMs);
  }

  /** The same windows with `afterMs` changed (may be negative if `beforeMs` makes up for it). */
  after(ms: number): JoinWindows {
    if (!Number.isSafeInteger(ms)) throw new RangeError(`JoinWindows.after: ${ms} is not an integer`);
    return new JoinWindows(this.beforeMs, ms, this.graceMs);
  }

  /** `beforeMs + afterMs`: the size of the join window stores' windows. */
  size(): number {
    return this.beforeMs + this.afterMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }

  toString(): string {
    return `JoinWindows{beforeMs=${this.beforeMs}, afterMs=${this.afterMs}, graceMs=${this.graceMs}}`;
  }
}

function checkMs(ms: number, what: string): void {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new RangeError(`JoinWindows: ${what} must be a non-negative integer of milliseconds, got ${ms}`);
}
