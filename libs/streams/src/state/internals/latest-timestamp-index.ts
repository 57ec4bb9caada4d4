/** Most record keys a {@link LatestTimestampIndex} tracks before it turns itself off. */
export const LATEST_TIMESTAMP_INDEX_MAX_KEYS = 200_000;

/** Thrown through a build's scan to end it once the index has turned itself off. */
const STOP_SCAN: unique symbol = Symbol('stop the latest-timestamp index scan');

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
 * them anyway). A store with more than {@link LATEST_TIMESTAMP_INDEX_MAX_KEYS} record keys turns
 * the index off for good (lookups then read the store, as without it), bounding its memory.
 */
export class LatestTimestampIndex {
  private latest: Map<string, number> | undefined;
  private off = false;
  /** Expired keys are forgotten each time the live time has moved this far since the last time. */
  private prunedAt = -Infinity;

  constructor(
    private readonly maxKeys: number = LATEST_TIMESTAMP_INDEX_MAX_KEYS,
    private readonly pruneEveryMs: number = 0,
  ) {}

  /** True once the index is built and not turned off: {@link mayHave} can then answer `false`. */
  get active(): boolean {
    return this.latest !== undefined;
  }

  /** Number of record keys tracked (0 when not built or off). */
  get size(): number {
    return this.latest?.size ?? 0;
  }

  /**
   * Builds the index, unless built or off, from `scan`, which calls `visit` with every record key
   * (latin1 string) and segment timestamp in the store.
   */
  build(scan: (visit: (recordKey: string, timestamp: number) => void) => void): void {
    if (this.latest !== undefined || this.off) return;
    this.latest = new Map<string, number>();
    try {
      scan((k, t) => {
        this.note(k, t);
        // Past the key limit the index is off for good: the rest of the store need not be read.
        if (this.off) throw STOP_SCAN;
      });
    } catch (e) {
      if (e === STOP_SCAN) return;
      // A scan that failed part-way saw only some keys: built from it, the index would answer
      // "none" for the others. Not built, so the next lookup reads the store (and scans again).
      this.latest = undefined;
      throw e;
    }
  }

  /** Records a write of `recordKey` at segment timestamp `timestamp` (a no-op before {@link build}). */
  note(recordKey: string, timestamp: number): void {
    const latest = this.latest;
    if (latest === undefined) return;
    const seen = latest.get(recordKey);
    if (seen === undefined) {
      latest.set(recordKey, timestamp);
      if (latest.size > this.maxKeys) this.turnOff();
    } else if (timestamp > seen) latest.set(recordKey, timestamp);
  }

  /**
   * False only when the store surely has no entry of `recordKey` with a segment timestamp at or
   * after `timestamp`; true when it may (or the index is not built or off).
   */
  mayHave(recordKey: string, timestamp: number): boolean {
    const latest = this.latest;
    if (latest === undefined) return true;
    const seen = latest.get(recordKey);
    return seen !== undefined && seen >= timestamp;
  }

  /**
   * Forgets the keys whose latest timestamp is before `minLiveTime` (the store reads nothing older),
   * at most once per `pruneEveryMs` of live time.
   */
  prune(minLiveTime: number): void {
    const latest = this.latest;
    if (latest === undefined || minLiveTime - this.prunedAt < this.pruneEveryMs) return;
    this.prunedAt = minLiveTime;
    for (const [k, t] of latest) if (t < minLiveTime) latest.delete(k);
  }

  /** Drops the index (the store closed); a later {@link build} builds it again. */
  reset(): void {
    this.latest = undefined;
    this.off = false;
    this.prunedAt = -Infinity;
  }

  private turnOff(): void {
    this.latest = undefined;
    this.off = true;
  }
}
