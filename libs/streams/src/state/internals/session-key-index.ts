import { BoundedKeyIndex } from './bounded-key-index';

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
 * are forgotten as it moves on. A store with more record keys than the limit
 * ({@link BoundedKeyIndex}) turns the index off for good (lookups then read ranges, as without it).
 */
export class SessionKeyIndex extends BoundedKeyIndex<number[]> {
  /**
   * Builds the index, unless built or off, from `scan`, which calls `visit` with every session in
   * the store (record key as a latin1 string, end, start). Per record key it keeps the sessions as
   * `[end, start]` pairs in store order (end, then start).
   */
  build(scan: (visit: (recordKey: string, end: number, start: number) => void) => void): void {
    this.buildFrom(() =>
      scan((k, end, start) => {
        this.add(k, end, start);
        this.stopIfOff();
      }),
    );
  }

  /** Records a session written to the store (a no-op before {@link build}). */
  add(recordKey: string, end: number, start: number): void {
    const sessions = this.entries;
    if (sessions === undefined) return;
    const pairs = sessions.get(recordKey);
    if (pairs === undefined) {
      this.addKey(sessions, recordKey, [end, start]);
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
    const pairs = this.entries?.get(recordKey);
    if (pairs === undefined) return;
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] !== end || pairs[i + 1] !== start) continue;
      if (pairs.length === 2) this.entries!.delete(recordKey);
      else pairs.splice(i, 2);
      return;
    }
  }

  /**
   * The sessions of `recordKey` as `[end, start]` pairs in store order (read, not changed, by the
   * caller), or `undefined` for none; answers only while {@link active}.
   */
  sessionsOf(recordKey: string): readonly number[] | undefined {
    return this.entries?.get(recordKey);
  }

  /**
   * Forgets the sessions that ended before `minLiveTime` (the store reads nothing older), at most
   * once per `pruneEveryMs` of live time.
   */
  prune(minLiveTime: number): void {
    const sessions = this.dueForPrune(minLiveTime);
    if (sessions === undefined) return;
    for (const [k, pairs] of sessions) {
      let n = 0;
      while (n < pairs.length && pairs[n]! < minLiveTime) n += 2;
      if (n === pairs.length) sessions.delete(k);
      else if (n > 0) pairs.splice(0, n);
    }
  }
}
