/** The largest value a {@link ValueSlab} takes (a larger one is kept as a Buffer of its own). */
export const SLAB_MAX_VALUE_BYTES = 1024;

/** Bytes before each value in the slab: its length, 16-bit little-endian. */
const LENGTH_BYTES = 2;

/** First capacity of a slab's memory. */
const INITIAL_BYTES = 1024;

/**
 * Highest end offset of a slab: handles stay small integers (V8 keeps them in a Map's slots
 * unboxed, with no object per value) on every platform.
 */
const MAX_BYTES = 2 ** 30;

/**
 * The small values of one in-memory table packed one after the other into one growing block of
 * memory, each addressed by a handle (a small integer: its offset), instead of a Buffer object per
 * value: a window or session segment holds hundreds of thousands of 8- to 16-byte values, and a
 * Buffer costs a JavaScript object of about 100 bytes plus, when the value was allocated from Node's
 * shared pool, the whole 8 KiB pool block it came from, kept alive as long as the value is.
 *
 * A value's bytes never change once added: a value replaced or removed leaves dead bytes behind,
 * and when the block must grow while at least half of it is dead, the live values are copied into a
 * new block ({@link compact}) and the table gets their new handles. A view handed out ({@link view})
 * keeps reading the old block, which is never written again, so what a reader holds never changes.
 */
export class ValueSlab {
  private bytes: Buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  /** Bytes used (live and dead). */
  private end = 0;
  /** Bytes of values replaced or removed. */
  private dead = 0;

  /** Whether {@link add} takes `value` (not too large, and room left under the slab's limit). */
  fits(value: Buffer): boolean {
    return (
      value.length <= SLAB_MAX_VALUE_BYTES &&
      this.end - this.dead + LENGTH_BYTES + value.length <= MAX_BYTES / 2
    );
  }

  /**
   * True when {@link add} of a value of `length` bytes would need a new block while at least half
   * of this one is dead: the caller then runs {@link compact} first (add itself only grows).
   */
  mustCompactFor(length: number): boolean {
    return this.end + LENGTH_BYTES + length > this.bytes.length && this.dead >= this.end / 2;
  }

  /** Copies `value` (which {@link fits}) in, growing the block if needed; returns its handle. */
  add(value: Buffer): number {
    const n = value.length;
    if (this.end + LENGTH_BYTES + n > this.bytes.length) this.grow(LENGTH_BYTES + n);
    const bytes = this.bytes;
    const at = this.end;
    bytes[at] = n & 0xff;
    bytes[at + 1] = n >>> 8;
    if (n <= 32) for (let i = 0; i < n; i++) bytes[at + LENGTH_BYTES + i] = value[i]!;
    else value.copy(bytes, at + LENGTH_BYTES);
    this.end = at + LENGTH_BYTES + n;
    return at;
  }

  /** The value of `handle`: a view of bytes that never change. */
  view(handle: number): Buffer {
    const bytes = this.bytes;
    const start = handle + LENGTH_BYTES;
    return bytes.subarray(start, start + (bytes[handle]! | (bytes[handle + 1]! << 8)));
  }

  /** Counts the value of `handle` as dead (replaced or removed). */
  free(handle: number): void {
    const bytes = this.bytes;
    this.dead += LENGTH_BYTES + (bytes[handle]! | (bytes[handle + 1]! << 8));
  }

  /** Bytes of live values (with their lengths). */
  get liveBytes(): number {
    return this.end - this.dead;
  }

  /** Capacity of the current block. */
  get capacity(): number {
    return this.bytes.length;
  }

  /**
   * Moves the live values into a new block: `forEachHandle` calls `move` with every live handle
   * and stores the handle it returns in place of the old one.
   */
  compact(forEachHandle: (move: (handle: number) => number) => void): void {
    const live = this.end - this.dead;
    const old = this.bytes;
    const bytes = Buffer.allocUnsafeSlow(Math.max(INITIAL_BYTES, nextCapacity(live)));
    let end = 0;
    forEachHandle((handle) => {
      const size = LENGTH_BYTES + (old[handle]! | (old[handle + 1]! << 8));
      old.copy(bytes, end, handle, handle + size);
      const moved = end;
      end += size;
      return moved;
    });
    this.bytes = bytes;
    this.end = end;
    this.dead = 0;
  }

  /** Moves the bytes used into a larger block (the old one stays as it is for the views on it). */
  private grow(needed: number): void {
    const grown = Buffer.allocUnsafeSlow(nextCapacity(this.end + needed));
    this.bytes.copy(grown, 0, 0, this.end);
    this.bytes = grown;
  }
}

/** Twice `bytes`, at least: room to grow before the next copy. */
function nextCapacity(bytes: number): number {
  return Math.min(MAX_BYTES, Math.max(INITIAL_BYTES, 2 ** Math.ceil(Math.log2(Math.max(1, bytes) * 2))));
}
