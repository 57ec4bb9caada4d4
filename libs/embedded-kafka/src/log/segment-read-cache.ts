import type { BudgetedCache, ReadCacheBudget } from './read-cache-budget';

/** Smallest block the cache allocates; blocks double up to {@link MAX_BLOCK_BYTES}. */
const MIN_BLOCK_BYTES = 4 * 1024;
/** Largest block allocated for small appends (one bigger batch gets a block of its own size). */
const MAX_BLOCK_BYTES = 1024 * 1024;
/**
 * An append of at least this many bytes that its caller hands over (`owned`) is kept as a view,
 * not copied: a Fetch then sends a few large pieces, and the copy (the largest cost of a large
 * append after the write itself) is saved. Smaller appends are copied into blocks, so a Fetch
 * of many small batches is still a few pieces.
 */
export const VIEW_MIN_BYTES = 16 * 1024;

interface Block {
  /** Log position of `buf[0]`. */
  readonly position: number;
  readonly buf: Buffer;
  /** Bytes of `buf` holding log data; the rest is free for the next appends. */
  used: number;
  /** Memory this block holds: `buf`'s length, or for a view its whole backing store. */
  readonly charge: number;
  /** For a view of the caller's buffer: its backing store (memory shared with other views). */
  readonly backing?: ArrayBuffer;
}

/**
 * The most recent bytes of a segment's log, kept in memory so a Fetch of recent
 * data is served without reading the file (as zero-copy views of the cache).
 *
 * Appended bytes are copied into blocks the cache owns (4 KiB, doubling up to
 * 1 MiB), unless the caller hands the buffer over (`owned`: it never modifies
 * it again, as a Produce request's frame) and it is at least
 * {@link VIEW_MIN_BYTES}: then the cache keeps a view of it. A view keeps its
 * whole backing store alive (the frame holding the batch, which may also hold
 * other partitions' batches), so it is counted at the backing store's size.
 * The memory held, counted as allocated block bytes (views at their backing
 * store's size), stays at most `limit` (or one block, when a single append is
 * larger than `limit`). With a broker-wide {@link ReadCacheBudget}, every block
 * is also counted there (a backing store shared by views in several caches
 * once) and may be taken back when another cache needs room; an append larger
 * than the whole budget is not cached at all, so the budget is never exceeded.
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

  /** Bytes of memory the cache holds (allocated blocks, used or not; views at their backing store's size). */
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
   * Adds `data`, the log bytes at `position` (the segment's end: appends are
   * contiguous), dropping the oldest blocks beyond the limit. `data` is copied,
   * unless `owned` (the caller never modifies it again) and it is large enough
   * to be kept as a view (see {@link VIEW_MIN_BYTES}).
   */
  append(position: number, data: Buffer, owned = false): void {
    const cap = this.budget ? Math.min(this.limit, this.budget.budgetBytes) : this.limit;
    if (cap <= 0 || data.length === 0) return;
    if (this.budget && data.length > this.budget.budgetBytes) {
      // Larger than everything the broker may cache: read from the file instead.
      this.clear();
      return;
    }
    const last = this.blocks[this.blocks.length - 1];
    if (last && last.position + last.used !== position) this.clear();
    const backing = data.buffer as ArrayBuffer;
    if (owned && data.length >= VIEW_MIN_BYTES && backing.byteLength <= cap) {
      this.addBlock({ position, buf: data, used: data.length, charge: backing.byteLength, backing });
      return;
    }
    let at = 0;
    const tail = this.blocks[this.blocks.length - 1];
    if (tail && !tail.backing) {
      const n = Math.min(tail.buf.length - tail.used, data.length);
      data.copy(tail.buf, tail.used, 0, n);
      tail.used += n;
      at = n;
    }
    if (at < data.length) {
      const rest = data.length - at;
      const grown = tail && !tail.backing ? Math.min(tail.buf.length * 2, MAX_BLOCK_BYTES) : MIN_BLOCK_BYTES;
      const size = Math.max(rest, Math.min(grown, cap));
      // allocUnsafeSlow: a buffer of its own, not a slice of Node's shared pool.
      const buf = Buffer.allocUnsafeSlow(size);
      data.copy(buf, 0, at);
      this.addBlock({ position: position + at, buf, used: rest, charge: size });
    } else {
      this.budget?.touch(this);
    }
  }

  private addBlock(block: Block): void {
    this.blocks.push(block);
    this.allocated += block.charge;
    while (this.allocated > this.limit && this.blocks.length > 1) this.evictOldestBlock();
    this.budget?.reserve(this, block.charge, block.backing);
  }

  /** Drops the oldest block (the budget takes memory back this way); returns what it was counted at (0: none left). */
  evictOldestBlock(): number {
    const b = this.blocks.shift();
    if (!b) return 0;
    this.allocated -= b.charge;
    this.budget?.release(this, b.charge, this.blocks.length === 0, b.backing);
    return b.charge;
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
    const blocks = this.blocks;
    this.blocks = [];
    this.allocated = 0;
    if (!this.budget) return;
    let copied = 0;
    for (const b of blocks) {
      if (b.backing) this.budget.release(this, b.charge, false, b.backing);
      else copied += b.charge;
    }
    if (blocks.length > 0) this.budget.release(this, copied, true);
  }
}
