import { LATEST_TIMESTAMP_INDEX_MAX_KEYS } from './latest-timestamp-index';

/** Thrown through a build's scan to end it once the index has turned itself off. */
const STOP_SCAN: unique symbol = Symbol('stop the session key index scan');

/**
 * The sessions (end, start) a session store holds for each record key, kept in memory beside the
 * store, so the session aggregation's lookup per record (a key's sessions near the record) reads
 * the store only for the sessions it does not hold already in the record cache, each by its exact
 * key, instead of opening a range over the store (a cursor per lookup: several microseconds in
 * LMDB, where a point read costs one).
 *
 * Invariant: it holds every session the store holds (a superset: a session it lists may be gone,
 * e.g. with an expired segment, so a reader reads each one and skips those the store no longer
 * has). Built from a scan of the store at its first use (not built if the scan fails part-way),
 * then kept by every write and restored record; sessions that ended before the store's live time
 * are forgotten as it moves on. A store with more than {@link LATEST_TIMESTAMP_INDEX_MAX_KEYS}
 * record keys turns the index off for good (lookups then read ranges, as without it).
 */
export class SessionKeyIndex {
  /** Per record key (latin1 string), its sessions as `[end, start]` pairs in store order (end, then start). */
  private sessions: Map<string, number[]> | undefined;
  private off = false;
  private prunedAt = -Infinity;

  constructor(
    private readonly maxKeys: number = LATEST_TIMESTAMP_INDEX_MAX_KEYS,
    private readonly pruneEveryMs: number = 0,
  ) {}

  /** True once built and not turned off: {@link sessionsOf} then answers. */
  get active(): boolean {
    return this.sessions !== undefined;
  }

  /** Number of record keys tracked (0 when not built or off). */
  get size(): number {
    return this.sessions?.size ?? 0;
  }

  /**
   * Builds the index, unless built or off, from `scan`, which calls `visit` with every session in
   * the store (record key as a latin1 string, end, start).
   */
  build(scan: (visit: (recordKey: string, end: number, start: number) => void) => void): void {
    if (this.sessions !== undefined || this.off) return;
    this.sessions = new Map<string, number[]>();
    try {
      scan((k, end, start) => {
        this.add(k, end, start);
        if (this.off) throw STOP_SCAN;
      });
    } catch (e) {
      if (e === STOP_SCAN) return;
      // A scan that failed part-way saw only some sessions: not built (the lookups read ranges).
      this.sessions = undefined;
      throw e;
    }
  }

  /** Records a session written to the store (a no-op before {@link build}). */
  add(recordKey: string, end: number, start: number): void {
    const sessions = this.sessions;
    if (sessions === undefined) return;
    const pairs = sessions.get(recordKey);
    if (pairs === undefined) {
      sessions.set(recordKey, [end, start]);
      if (sessions.size > this.maxKeys) this.turnOff();
      return;
    }
    // usually after the last one: sessions are written as stream time goes
    let i = pairs.length;
    while (i > 0 && (pairs[i - 2]! > end || (pairs[i - 2] === end && pairs[i - 1]! >= start))) i -= 2;
    if (i < pairs.length && pairs[i] === end && pairs[i + 1] === start) return;
    if (i === pairs.length) pairs.push(end, start);
    else pairs.splice(i, 0, end, start);
  }

  /** Records a session deleted from the store (a no-op before {@link build}). */
  remove(recordKey: string, end: number, start: number): void {
    const pairs = this.sessions?.get(recordKey);
    if (pairs === undefined) return;
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] !== end || pairs[i + 1] !== start) continue;
      if (pairs.length === 2) this.sessions!.delete(recordKey);
      else pairs.splice(i, 2);
      return;
    }
  }

  /**
   * The sessions of `recordKey` as `[end, start]` pairs in store order (read, not changed, by the
   * caller), or `undefined` for none; answers only while {@link active}.
   */
  sessionsOf(recordKey: string): readonly number[] | undefined {
    return this.sessions?.get(recordKey);
  }

  /**
   * Forgets the sessions that ended before `minLiveTime` (the store reads nothing older), at most
   * once per `pruneEveryMs` of live time.
   */
  prune(minLiveTime: number): void {
    const sessions = this.sessions;
    if (sessions === undefined || minLiveTime - this.prunedAt < this.pruneEveryMs) return;
    this.prunedAt = minLiveTime;
    for (const [k, pairs] of sessions) {
      let n = 0;
      while (n < pairs.length && pairs[n]! < minLiveTime) n += 2;
      if (n === pairs.length) sessions.delete(k);
      else if (n > 0) pairs.splice(0, n);
    }
  }

  /** Drops the index (the store closed); a later {@link build} builds it again. */
  reset(): void {
    this.sessions = undefined;
    this.off = false;
    this.prunedAt = -Infinity;
  }

  private turnOff(): void {
    this.sessions = undefined;
    this.off = true;
  }
}
