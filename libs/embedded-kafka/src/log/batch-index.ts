import type { BatchHeader } from './record-batch';
import type { BatchEntry } from './segment';

const INITIAL_CAPACITY = 16;

/**
 * The in-memory batch index of one segment: one {@link BatchEntry} per batch,
 * stored column by column in typed arrays (44 bytes per batch, outside the JS
 * heap, capacity doubling) rather than as one object per batch (about 160 bytes
 * of heap each). Entries are read back as fresh objects.
 */
export class BatchIndex implements Iterable<BatchEntry> {
  private n = 0;
  private baseOffset = new Float64Array(INITIAL_CAPACITY);
  private lastOffsetDelta = new Int32Array(INITIAL_CAPACITY);
  private position = new Uint32Array(INITIAL_CAPACITY);
  private size = new Int32Array(INITIAL_CAPACITY);
  private maxTimestamp = new Float64Array(INITIAL_CAPACITY);
  private producerId = new Float64Array(INITIAL_CAPACITY);
  private producerEpoch = new Int16Array(INITIAL_CAPACITY);
  private attributes = new Int16Array(INITIAL_CAPACITY);
  private baseSequence = new Int32Array(INITIAL_CAPACITY);

  /** Number of batches indexed. */
  get length(): number {
    return this.n;
  }

  /** Bytes held by the index's arrays (capacity, used or not). */
  get retainedBytes(): number {
    return this.baseOffset.length * 44;
  }

  /** Appends one batch's entry. */
  push(e: BatchEntry): void {
    if (this.n === this.baseOffset.length) this.grow();
    const i = this.n++;
    this.baseOffset[i] = e.baseOffset;
    this.lastOffsetDelta[i] = e.lastOffset - e.baseOffset;
    this.position[i] = e.position;
    this.size[i] = e.size;
    this.maxTimestamp[i] = e.maxTimestamp;
    this.producerId[i] = e.producerId;
    this.producerEpoch[i] = e.producerEpoch;
    this.attributes[i] = e.attributes;
    this.baseSequence[i] = e.baseSequence;
  }

  /** Appends the entry of the batch whose header is `h`, at log position `position` (no entry object). */
  pushHeader(h: BatchHeader, position: number): void {
    if (this.n === this.baseOffset.length) this.grow();
    const i = this.n++;
    this.baseOffset[i] = h.baseOffset;
    this.lastOffsetDelta[i] = h.lastOffsetDelta;
    this.position[i] = position;
    this.size[i] = h.size;
    this.maxTimestamp[i] = h.maxTimestamp;
    this.producerId[i] = h.producerId;
    this.producerEpoch[i] = h.producerEpoch;
    this.attributes[i] = h.attributes;
    this.baseSequence[i] = h.baseSequence;
  }

  /** Entry `i` (0 <= i < length) as a new object, or undefined out of range. */
  get(i: number): BatchEntry | undefined {
    if (i < 0 || i >= this.n) return undefined;
    const baseOffset = this.baseOffset[i]!;
    return {
      baseOffset,
      lastOffset: baseOffset + this.lastOffsetDelta[i]!,
      position: this.position[i]!,
      size: this.size[i]!,
      maxTimestamp: this.maxTimestamp[i]!,
      producerId: this.producerId[i]!,
      producerEpoch: this.producerEpoch[i]!,
      baseSequence: this.baseSequence[i]!,
      attributes: this.attributes[i]!,
    };
  }

  /** Last offset of batch `i`, without building its entry. */
  lastOffsetAt(i: number): number {
    return this.baseOffset[i]! + this.lastOffsetDelta[i]!;
  }

  /** Largest batch timestamp (-1 when empty). */
  maxTimestampOverall(): number {
    let max = -1;
    for (let i = 0; i < this.n; i++) if (this.maxTimestamp[i]! > max) max = this.maxTimestamp[i]!;
    return max;
  }

  *[Symbol.iterator](): Iterator<BatchEntry> {
    for (let i = 0; i < this.n; i++) yield this.get(i)!;
  }

  private grow(): void {
    const cap = this.baseOffset.length * 2;
    const grow = <T extends Float64Array | Int32Array | Uint32Array | Int16Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.baseOffset = grow(this.baseOffset, (c) => new Float64Array(c));
    this.lastOffsetDelta = grow(this.lastOffsetDelta, (c) => new Int32Array(c));
    this.position = grow(this.position, (c) => new Uint32Array(c));
    this.size = grow(this.size, (c) => new Int32Array(c));
    this.maxTimestamp = grow(this.maxTimestamp, (c) => new Float64Array(c));
    this.producerId = grow(this.producerId, (c) => new Float64Array(c));
    this.producerEpoch = grow(this.producerEpoch, (c) => new Int16Array(c));
    this.attributes = grow(this.attributes, (c) => new Int16Array(c));
    this.baseSequence = grow(this.baseSequence, (c) => new Int32Array(c));
  }
}
