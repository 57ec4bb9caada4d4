/** Most record keys a {@link BoundedKeyIndex} tracks before it turns itself off. */
export const KEY_INDEX_MAX_KEYS = 200_000;

/** Thrown through a build's scan to end it once the index has turned itself off. */
const STOP_SCAN: unique symbol = Symbol('stop the key index scan');

/**
 * What the in-memory indexes beside a segmented store share: one entry per record key (a latin1
 * string), built from a scan of the store at its first use, kept by the store's writes, pruned as its
 * live time moves on, and turned off for good past `maxKeys` record keys (bounding its memory; the
 * store's lookups then read the store, as without it). A scan that fails part-way saw only some
 * keys, so the index is not built from it: built, it would answer "none" for the others.
 */
export abstract class BoundedKeyIndex<V> {
  /** Per record key, what the index keeps of it; undefined before the build and once off. */
  protected entries: Map<string, V> | undefined;
  private off = false;
  /** Expired entries are forgotten each time the live time has moved `pruneEveryMs` since the last time. */
  private prunedAt = -Infinity;

  constructor(
    private readonly maxKeys: number = KEY_INDEX_MAX_KEYS,
    private readonly pruneEveryMs: number = 0,
  ) {}

  /** True once built and not turned off: the index then answers lookups. */
  get active(): boolean {
    return this.entries !== undefined;
  }

  /** Number of record keys tracked (0 when not built or off). */
  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** Drops the index (the store closed); a later build builds it again. */
  reset(): void {
    this.entries = undefined;
    this.off = false;
    this.prunedAt = -Infinity;
  }

  /**
   * Builds the index, unless built or off, by running `scan`, whose visits add to {@link entries}
   * and then call {@link stopIfOff}.
   */
  protected buildFrom(scan: () => void): void {
    if (this.entries !== undefined || this.off) return;
    this.entries = new Map<string, V>();
    try {
      scan();
    } catch (e) {
      if (e === STOP_SCAN) return;
      this.entries = undefined;
      throw e;
    }
  }

  /** Past the key limit the index is off for good: the rest of the store need not be read. */
  protected stopIfOff(): void {
    if (this.off) throw STOP_SCAN;
  }

  /** Sets a new record key's entry, turning the index off past `maxKeys` keys. */
  protected addKey(entries: Map<string, V>, recordKey: string, value: V): void {
    entries.set(recordKey, value);
    if (entries.size > this.maxKeys) {
      this.entries = undefined;
      this.off = true;
    }
  }

  /** The entries to prune for `minLiveTime`, or undefined when not built or not due yet. */
  protected dueForPrune(minLiveTime: number): Map<string, V> | undefined {
    const entries = this.entries;
    if (entries === undefined || minLiveTime - this.prunedAt < this.pruneEveryMs) return undefined;
    this.prunedAt = minLiveTime;
    return entries;
  }
}
