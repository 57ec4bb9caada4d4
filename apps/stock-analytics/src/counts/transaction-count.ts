import type { Windowed } from '@gmart/streams';

/**
 * A windowed count as written to `transaction-counts-*`, keyed by `customerId|symbol`. `count` is
 * `null` when a session was merged into a larger one (the KTable's delete of the old session).
 */
export interface TransactionCount {
  readonly customerId: string;
  readonly stockTicker: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly count: number | null;
}

/** The `customerId|symbol` key split back into its parts. */
export function splitSummaryKey(key: string): { customerId: string; stockTicker: string } {
  const bar = key.lastIndexOf('|');
  return { customerId: key.slice(0, bar), stockTicker: key.slice(bar + 1) };
}

/** A count update as a {@link TransactionCount} (one object per update: every windowed count writes one). */
export function transactionCountOf(w: Windowed<string>, count: number | null): TransactionCount {
  const key = w.key();
  const bar = key.lastIndexOf('|');
  const window = w.window();
  return {
    customerId: key.slice(0, bar),
    stockTicker: key.slice(bar + 1),
    windowStart: window.start(),
    windowEnd: window.end(),
    count,
  };
}
