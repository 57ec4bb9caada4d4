/** What {@link ReadCacheBudget} needs of a segment's read cache to take memory back from it. */
export interface BudgetedCache {
  /** Drops the cache's oldest block; returns the bytes it was counted at (0 when it held none). */
  evictOldestBlock(): number;
}

/**
 * The broker-wide bound on the memory of every segment read cache together
 * (`readCacheBudgetBytes`): one least-recently-used order over the caches, so
 * the total held never exceeds the budget however many partitions there are.
 *
 * A cache reports each block it allocates ({@link reserve}) and frees
 * ({@link release}); a read or an append moves it to the most recently used end
 * ({@link touch}). When a new block takes the total over the budget, the least
 * recently used cache gives up its oldest block, then the next, until the total
 * fits again: an idle partition's cache empties before a busy one loses its
 * newest bytes, and within a cache the oldest bytes go first (consumers read
 * the tail). A dropped block only means a Fetch reads those bytes from the file.
 *
 * A block that is a view of a caller's buffer is reserved with its backing store:
 * views of one backing store (a Produce frame holding batches of several
 * partitions) count its size once, until the last of them is released.
 */
export class ReadCacheBudget {
  /** Caches holding memory, least recently used first (a Map keeps insertion order). */
  private readonly lru = new Map<BudgetedCache, true>();
  private held = 0;
  private evicted = 0;
  /** Backing stores of views, with how many blocks hold each (counted once in {@link held}). */
  private readonly shared = new Map<ArrayBuffer, number>();

  /** @param budgetBytes the most all caches together may hold; 0 turns caching off. */
  constructor(readonly budgetBytes: number) {
    if (!Number.isInteger(budgetBytes) || budgetBytes < 0)
      throw new RangeError(`read cache budget must be a non-negative integer, got ${budgetBytes}`);
  }

  /** Bytes all caches hold now (allocated blocks, used or not; a shared backing store once); never above {@link budgetBytes}. */
  get heldBytes(): number {
    return this.held;
  }

  /** Bytes taken back from caches to stay within the budget, since the broker started. */
  get evictedBytes(): number {
    return this.evicted;
  }

  /** Caches holding memory now. */
  get cacheCount(): number {
    return this.lru.size;
  }

  /** Marks `cache` as just used (an append or a read hit). */
  touch(cache: BudgetedCache): void {
    if (!this.lru.has(cache)) return;
    this.lru.delete(cache);
    this.lru.set(cache, true);
  }

  /**
   * Records a block of `bytes` that `cache` allocated (at most the budget), makes `cache` the most
   * recently used, then evicts the oldest blocks of the least recently used caches (`cache` last)
   * until the total fits the budget again. A view passes its `backing` store (`bytes` is its size),
   * which is counted only if no other block holds it yet.
   */
  reserve(cache: BudgetedCache, bytes: number, backing?: ArrayBuffer): void {
    if (backing) {
      const refs = this.shared.get(backing) ?? 0;
      this.shared.set(backing, refs + 1);
      if (refs === 0) this.held += bytes;
    } else {
      this.held += bytes;
    }
    this.lru.delete(cache);
    this.lru.set(cache, true);
    while (this.held > this.budgetBytes && this.lru.size > 0) {
      const oldest = this.lru.keys().next().value!;
      const before = this.held;
      const dropped = oldest.evictOldestBlock();
      this.evicted += before - this.held;
      // evictOldestBlock reports through release(); a cache with nothing left is forgotten there.
      if (dropped === 0) this.lru.delete(oldest);
    }
  }

  /**
   * Records `bytes` that `cache` freed (a view's: its `backing` store, given back once no block
   * holds it any more); `empty` when the cache now holds nothing.
   */
  release(cache: BudgetedCache, bytes: number, empty: boolean, backing?: ArrayBuffer): void {
    if (backing) {
      const refs = this.shared.get(backing)! - 1;
      if (refs > 0) this.shared.set(backing, refs);
      else {
        this.shared.delete(backing);
        this.held -= bytes;
      }
    } else {
      this.held -= bytes;
    }
    if (empty) this.lru.delete(cache);
  }
}
