import type { BudgetedCache, ReadCacheBudget } from './read-cache-budget';

/** Smallest block the cache allocates; blocks double up to {@link MAX_BLOCK_BYTES}. */
const MIN_BLOCK_BYTES = 4 * 1024;
/** Largest block allocated for small appends (one bigger batch gets a block of its own size). */
const MAX_BLOCK_BYTES = 1024 * 1024;

interface Block {
  /** Log position of `buf[0]`. */
  readonly position: number;
  readonly buf: Buffer;
  /** Bytes of `buf` holding log data; the rest is free for the next appends. */
  used: number;
}

/**
 * The most recent bytes of a segment's log, kept in memory so a Fetch of recent
 * data is served without reading the file (as zero-copy views of the cache).
 *
 * Appended bytes are copied into blocks the cache owns (4 KiB, doubling up to
 * 1 MiB), never kept as views of the caller's buffer: a batch is a slice of a
 * whole Produce request (or socket read) and a view would keep all of it alive.
 * The memory held, counted as allocated block bytes, stays at most `limit`
 * (or one block, when a single append is larger than `limit`). With a
 * broker-wide {@link ReadCacheBudget}, every block is also counted there and
 * may be taken back when another cache needs room; an append larger than the
 * whole budget is not cached at all, so the budget is never exceeded.
 */
export class SegmentReadCache implements BudgetedCache {
  private blocks: Block[] = [];
  private allocated = 0;

  /**
   * @param limit the most this cache holds (the broker's `partitionCacheBytes`); 0 = off
   * @param budget the broker-wide budget shared with every other cache, if any
   */
  constructor(
    private readonly limit: number,
    private readonly budget?: ReadCacheBudget,
  ) {}

  /** Log position of the first cached byte (meaningless when {@link isEmpty}). */
  get start(): number {
    return this.blocks[0]?.position ?? 0;
  }

  get isEmpty(): boolean {
    return this.blocks.length === 0 || this.blocks[0]!.used === 0;
  }

  /** Bytes of memory the cache holds (allocated blocks, used or not). */
  get retainedBytes(): number {
    return this.allocated;
  }

  /** Bytes of log data currently cached. */
  get cachedBytes(): number {
    let n = 0;
    for (const b of this.blocks) n += b.used;
    return n;
  }

  /**
   * Copies `data`, the log bytes at `position` (the segment's end: appends are
   * contiguous), into the cache, dropping the oldest blocks beyond the limit.
   */
  append(position: number, data: Buffer): void {
    const cap = this.budget ? Math.min(this.limit, this.budget.budgetBytes) : this.limit;
    if (cap <= 0 || data.length === 0) return;
    if (this.budget && data.length > this.budget.budgetBytes) {
      // Larger than everything the broker may cache: read from the file instead.
      this.clear();
      return;
    }
    const last = this.blocks[this.blocks.length - 1];
    if (last && last.position + last.used !== position) this.clear();
    let at = 0;
    const tail = this.blocks[this.blocks.length - 1];
    if (tail) {
      const n = Math.min(tail.buf.length - tail.used, data.length);
      data.copy(tail.buf, tail.used, 0, n);
      tail.used += n;
      at = n;
    }
    if (at < data.length) {
      const rest = data.length - at;
      const grown = tail ? Math.min(tail.buf.length * 2, MAX_BLOCK_BYTES) : MIN_BLOCK_BYTES;
      const size = Math.max(rest, Math.min(grown, cap));
      // allocUnsafeSlow: a buffer of its own, not a slice of Node's shared pool.
      const buf = Buffer.allocUnsafeSlow(size);
      data.copy(buf, 0, at);
      this.blocks.push({ position: position + at, buf, used: rest });
      this.allocated += size;
      while (this.allocated > this.limit && this.blocks.length > 1) this.evictOldestBlock();
      this.budget?.reserve(this, size);
    } else {
      this.budget?.touch(this);
    }
  }

  /** Drops the oldest block (the budget takes memory back this way); returns its size. */
  evictOldestBlock(): number {
    const b = this.blocks.shift();
    if (!b) return 0;
    this.allocated -= b.buf.length;
    this.budget?.release(this, b.buf.length, this.blocks.length === 0);
    return b.buf.length;
  }

  /**
   * Views of the log bytes `[position, position + length)`, or undefined when
   * they are not all cached.
   */
  read(position: number, length: number): Buffer[] | undefined {
    if (this.isEmpty || position < this.start) return undefined;
    const out: Buffer[] = [];
    let want = position;
    const end = position + length;
    for (const b of this.blocks) {
      const bEnd = b.position + b.used;
      if (bEnd <= want) continue;
      if (b.position >= end) break;
      const from = want - b.position;
      const to = Math.min(b.used, end - b.position);
      out.push(b.buf.subarray(from, to));
      want = b.position + to;
      if (want >= end) {
        this.budget?.touch(this);
        return out;
      }
    }
    return undefined;
  }

  /** Forgets everything cached (and gives its memory back to the budget). */
  clear(): void {
    const held = this.allocated;
    this.blocks = [];
    this.allocated = 0;
    if (held > 0) this.budget?.release(this, held, true);
  }
}
