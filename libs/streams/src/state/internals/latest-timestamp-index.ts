import { BoundedKeyIndex } from './bounded-key-index';

/**
 * The largest segment timestamp (window start, session end) written for each record key of a
 * segmented store: an in-memory filter that answers most lookups of windows and sessions that do not
 * exist without reading the store (what RocksDB's bloom filters give Kafka Streams' window stores).
 * A windowed aggregation looks up every window a record falls in, and as stream time advances most
 * of them are new; a session aggregation looks up a key's sessions near the record, usually none.
 *
 * Invariant: every entry of the store with record key `k` and segment timestamp `t` has
 * `latest(k) >= t`, so `latest(k) < t` (or no `k` at all) proves the store has no entry of `k` at
 * `t` or later. It is only ever an upper bound: deletes and dropped segments leave it as it is.
 * Built from a scan of the store at its first lookup (not built if the scan fails part-way), then
 * kept by every write and restored batch;
 * keys whose latest timestamp fell out of retention are forgotten (the store answers nothing for
 * them anyway). A store with more record keys than the limit ({@link BoundedKeyIndex}) turns
 * the index off for good (lookups then read the store, as without it), bounding its memory.
 */
export class LatestTimestampIndex extends BoundedKeyIndex<number> {
  /**
   * Builds the index, unless built or off, from `scan`, which calls `visit` with every record key
   * (latin1 string) and segment timestamp in the store.
   */
  build(scan: (visit: (recordKey: string, timestamp: number) => void) => void): void {
    this.buildFrom(() =>
      scan((k, t) => {
        this.note(k, t);
        this.stopIfOff();
      }),
    );
  }

  /** Records a write of `recordKey` at segment timestamp `timestamp` (a no-op before {@link build}). */
  note(recordKey: string, timestamp: number): void {
    const latest = this.entries;
    if (latest === undefined) return;
    const seen = latest.get(recordKey);
    if (seen === undefined) this.addKey(latest, recordKey, timestamp);
    else if (timestamp > seen) latest.set(recordKey, timestamp);
  }

  /**
   * False only when the store surely has no entry of `recordKey` with a segment timestamp at or
   * after `timestamp`; true when it may (or the index is not built or off).
   */
  mayHave(recordKey: string, timestamp: number): boolean {
    const latest = this.entries;
    if (latest === undefined) return true;
    const seen = latest.get(recordKey);
    return seen !== undefined && seen >= timestamp;
  }

  /**
   * Forgets the keys whose latest timestamp is before `minLiveTime` (the store reads nothing older),
   * at most once per `pruneEveryMs` of live time.
   */
  prune(minLiveTime: number): void {
    const latest = this.dueForPrune(minLiveTime);
    if (latest === undefined) return;
    for (const [k, t] of latest) if (t < minLiveTime) latest.delete(k);
  }
}
