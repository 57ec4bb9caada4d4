import type { KeyValue } from '../key-value';
import { lowerBound } from './lower-bound';

/**
 * One record key's entries in store-key order: window start, then sequence number (the store key's
 * last 12 bytes, big-endian unsigned, compare as these numbers do), index for index.
 */
interface KeyEntries {
  starts: number[];
  seqs: number[];
  values: Buffer[];
}

/**
 * Every entry of an in-memory window store by record key (latin1 string), each key's entries in
 * store-key order: a join's fetch of one key's windows (`windowsOf`) reads that key's list instead of
 * a key-ordered scan of each segment, so the segments' key trees, which only scans need, are never
 * built (a stream-stream join fetches on every record). Kafka Streams' `InMemoryWindowStore` is
 * organised by time and then key for the same reason: a point fetch does not walk other keys.
 *
 * Exact, unlike {@link LatestTimestampIndex}: it holds what the store holds. Built by a scan of the
 * store at its first use, then kept by every write the store accepts; a restored batch, which writes
 * the segments directly, drops it (built again at the next use). Entries older than the store's
 * minimum live time (their segments dropped, or about to be) are skipped by reads and forgotten as
 * stream time advances.
 */
export class WindowEntriesIndex {
  private byKey: Map<string, KeyEntries> | undefined;
  /** The minimum live time of the last sweep of expired entries. */
  private sweptAt = -Infinity;

  /** @param sweepEveryMs how far the minimum live time moves between two sweeps of every key */
  constructor(private readonly sweepEveryMs: number) {}

  get built(): boolean {
    return this.byKey !== undefined;
  }

  /** Forgets everything (the next use builds it again). */
  reset(): void {
    this.byKey = undefined;
    this.sweptAt = -Infinity;
  }

  /**
   * Builds the index from `scan`, which calls `visit` with every entry of the store (record key,
   * window start, sequence number, value).
   */
  build(scan: (visit: (recordKey: string, start: number, seq: number, value: Buffer) => void) => void): void {
    const byKey = new Map<string, KeyEntries>();
    scan((recordKey, start, seq, value) => insert(byKey, recordKey, start, seq, value));
    this.byKey = byKey;
  }

  /** Records a write the store accepted: `value` for the entry, `null` for its removal. */
  write(recordKey: string, start: number, seq: number, value: Buffer | null): void {
    const byKey = this.byKey;
    if (byKey === undefined) return;
    if (value !== null) insert(byKey, recordKey, start, seq, value);
    else {
      const e = byKey.get(recordKey);
      if (e === undefined) return;
      const i = find(e, start, seq);
      if (i < e.starts.length && e.starts[i] === start && e.seqs[i] === seq)
        remove(byKey, recordKey, e, i, 1);
    }
  }

  /**
   * Appends to `out` the entries of `recordKey` with window starts in `[from, to]` as `{ key: start,
   * value }`, in store-key order (reversed if `reverse`). `from` must be at least the store's
   * minimum live time: expired entries stay here until {@link expire} drops them.
   */
  collect(
    recordKey: string,
    from: number,
    to: number,
    reverse: boolean,
    out: KeyValue<number, Buffer>[],
  ): void {
    const byKey = this.byKey!;
    const e = byKey.get(recordKey);
    if (e === undefined) return;
    const starts = e.starts;
    const i = lowerBound(starts, from);
    let end = i;
    while (end < starts.length && starts[end]! <= to) end++;
    if (reverse) for (let j = end - 1; j >= i; j--) out.push({ key: starts[j]!, value: e.values[j]! });
    else for (let j = i; j < end; j++) out.push({ key: starts[j]!, value: e.values[j]! });
  }

  /** Calls `visit` with every entry held (record key, window start, sequence number, value). */
  forEach(visit: (recordKey: string, start: number, seq: number, value: Buffer) => void): void {
    const byKey = this.byKey;
    if (byKey === undefined) return;
    for (const [k, e] of byKey)
      for (let i = 0; i < e.starts.length; i++) visit(k, e.starts[i]!, e.seqs[i]!, e.values[i]!);
  }

  /**
   * Forgets the entries before `minLiveTime` (the store reads none of them), every key's once
   * `minLiveTime` moved `sweepEveryMs` since the last sweep.
   */
  expire(minLiveTime: number): void {
    const byKey = this.byKey;
    if (byKey === undefined || minLiveTime - this.sweptAt < this.sweepEveryMs) return;
    this.sweptAt = minLiveTime;
    for (const [k, e] of byKey) {
      const n = lowerBound(e.starts, minLiveTime);
      if (n > 0) remove(byKey, k, e, 0, n);
    }
  }
}

/** Where the entry (`start`, `seq`) is or would go in `e`: the first entry not before it. */
function find(e: KeyEntries, start: number, seq: number): number {
  const n = e.starts.length;
  // Usually a new entry comes last (a key's records in time order).
  if (n === 0 || e.starts[n - 1]! < start) return n;
  let i = lowerBound(e.starts, start);
  while (i < n && e.starts[i] === start && e.seqs[i]! < seq) i++;
  return i;
}

function insert(
  byKey: Map<string, KeyEntries>,
  recordKey: string,
  start: number,
  seq: number,
  value: Buffer,
): void {
  const e = byKey.get(recordKey);
  if (e === undefined) {
    byKey.set(recordKey, { starts: [start], seqs: [seq], values: [value] });
    return;
  }
  const i = find(e, start, seq);
  if (i === e.starts.length) {
    e.starts.push(start);
    e.seqs.push(seq);
    e.values.push(value);
  } else if (e.starts[i] === start && e.seqs[i] === seq) e.values[i] = value;
  else {
    e.starts.splice(i, 0, start);
    e.seqs.splice(i, 0, seq);
    e.values.splice(i, 0, value);
  }
}

function remove(
  byKey: Map<string, KeyEntries>,
  recordKey: string,
  e: KeyEntries,
  at: number,
  count: number,
): void {
  if (count === e.starts.length) {
    byKey.delete(recordKey);
    return;
  }
  e.starts.splice(at, count);
  e.seqs.splice(at, count);
  e.values.splice(at, count);
}
