const TWO_32 = 4294967296;
const INITIAL_SIZE = 1024;

/**
 * Writes Kafka protocol primitives into a growing Buffer.
 *
 * Small fields go into one scratch buffer that doubles when full; large payloads
 * (record sets read from the log) can be appended by reference with
 * {@link Encoder.writeChunk}, so a Fetch response is sent without copying the
 * records. {@link Encoder.toBuffers} returns the pieces in order.
 */
export class Encoder {
  private buf: Buffer;
  private pos = 0;
  private readonly chunks: Buffer[] = [];
  private chunkedBytes = 0;

  constructor(initialSize = INITIAL_SIZE) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Total bytes written so far (scratch plus appended chunks). */
  get length(): number {
    return this.chunkedBytes + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  writeInt8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  writeBoolean(v: boolean): this {
    return this.writeInt8(v ? 1 : 0);
  }

  writeInt16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  writeInt32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  writeUInt32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  /** int64 from a number (exact within +-2^53). */
  writeInt64(v: number): this {
    this.ensure(8);
    const hi = Math.floor(v / TWO_32);
    const lo = v - hi * TWO_32;
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(lo, this.pos + 4);
    this.pos += 8;
    return this;
  }

  /** int64 from a bigint. */
  writeInt64Big(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }

  writeUnsignedVarInt(v: number): this {
    this.ensure(5);
    let u = v >>> 0;
    while (u >= 0x80) {
      this.buf[this.pos++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    this.buf[this.pos++] = u;
    return this;
  }

  /** Zig-zag signed varint (32 bits). */
  writeVarInt(v: number): this {
    return this.writeUnsignedVarInt(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zig-zag signed varlong from a number (exact within +-2^53). */
  writeVarLong(v: number): this {
    this.ensure(10);
    let u = v >= 0 ? v * 2 : -v * 2 - 1;
    while (u >= 0x80) {
      this.buf[this.pos++] = (u % 128) | 0x80;
      u = Math.floor(u / 128);
    }
    this.buf[this.pos++] = u;
    return this;
  }

  /** int16-length string. */
  writeString(s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    this.ensure(2 + len);
    this.buf.writeInt16BE(len, this.pos);
    this.buf.write(s, this.pos + 2, len, 'utf8');
    this.pos += 2 + len;
    return this;
  }

  /** int16-length string, null written as -1. */
  writeNullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.writeInt16(-1);
    return this.writeString(s);
  }

  /** int32-length bytes (copied into the scratch buffer). */
  writeBytes(b: Buffer): this {
    this.writeInt32(b.length);
    return this.writeRaw(b);
  }

  /** int32-length bytes, null written as -1. */
  writeNullableBytes(b: Buffer | null | undefined): this {
    if (b === null || b === undefined) return this.writeInt32(-1);
    return this.writeBytes(b);
  }

  /** varint-length bytes as used inside records, null written as -1. */
  writeVarIntBytes(b: Buffer | null | undefined): this {
    if (b === null || b === undefined) return this.writeVarInt(-1);
    this.writeVarInt(b.length);
    return this.writeRaw(b);
  }

  /** Raw bytes copied into the scratch buffer. */
  writeRaw(b: Buffer): this {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }

  /**
   * Appends a buffer by reference (no copy); use it for large payloads such as
   * record sets. The caller must not modify `b` until the response is sent.
   */
  writeChunk(b: Buffer): this {
    if (b.length < 256) return this.writeRaw(b);
    this.flushScratch();
    this.chunks.push(b);
    this.chunkedBytes += b.length;
    return this;
  }

  /** int32-count array. */
  writeArray<T>(items: readonly T[], writeItem: (e: Encoder, item: T) => void): this {
    this.writeInt32(items.length);
    for (let i = 0; i < items.length; i++) writeItem(this, items[i]!);
    return this;
  }

  /** int32-count array, null written as -1. */
  writeNullableArray<T>(
    items: readonly T[] | null | undefined,
    writeItem: (e: Encoder, item: T) => void,
  ): this {
    if (items === null || items === undefined) return this.writeInt32(-1);
    return this.writeArray(items, writeItem);
  }

  writeInt32Array(items: readonly number[]): this {
    return this.writeArray(items, (e, v) => e.writeInt32(v));
  }

  writeStringArray(items: readonly string[]): this {
    return this.writeArray(items, (e, v) => e.writeString(v));
  }

  // ---- Flexible versions (KIP-482): compact forms, tagged fields, UUIDs ----

  /** COMPACT_STRING: unsigned varint length + 1, then UTF-8 bytes. */
  writeCompactString(s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    this.writeUnsignedVarInt(len + 1);
    this.ensure(len);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
    return this;
  }

  /** COMPACT_NULLABLE_STRING, null written as length prefix 0. */
  writeCompactNullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.writeUnsignedVarInt(0);
    return this.writeCompactString(s);
  }

  /** COMPACT_BYTES (copied). */
  writeCompactBytes(b: Buffer): this {
    this.writeUnsignedVarInt(b.length + 1);
    return this.writeRaw(b);
  }

  /** COMPACT_NULLABLE_BYTES, null written as length prefix 0. */
  writeCompactNullableBytes(b: Buffer | null | undefined): this {
    if (b === null || b === undefined) return this.writeUnsignedVarInt(0);
    return this.writeCompactBytes(b);
  }

  /** COMPACT_ARRAY: unsigned varint count + 1. */
  writeCompactArray<T>(items: readonly T[], writeItem: (e: Encoder, item: T) => void): this {
    this.writeUnsignedVarInt(items.length + 1);
    for (let i = 0; i < items.length; i++) writeItem(this, items[i]!);
    return this;
  }

  /** COMPACT_NULLABLE_ARRAY, null written as count prefix 0. */
  writeCompactNullableArray<T>(
    items: readonly T[] | null | undefined,
    writeItem: (e: Encoder, item: T) => void,
  ): this {
    if (items === null || items === undefined) return this.writeUnsignedVarInt(0);
    return this.writeCompactArray(items, writeItem);
  }

  writeCompactInt32Array(items: readonly number[]): this {
    return this.writeCompactArray(items, (e, v) => e.writeInt32(v));
  }

  writeCompactStringArray(items: readonly string[]): this {
    return this.writeCompactArray(items, (e, v) => e.writeCompactString(v));
  }

  /** UUID from 32 hex digits (dashes allowed). */
  writeUuid(uuid: string): this {
    const hex = uuid.replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${uuid}`);
    return this.writeRaw(Buffer.from(hex, 'hex'));
  }

  /**
   * TAG_BUFFER. With no argument (the common case) writes the empty buffer (a
   * single 0). `fields` are written in increasing tag order; each value is the
   * already-encoded field.
   */
  writeTaggedFields(fields?: ReadonlyMap<number, Buffer>): this {
    if (!fields || fields.size === 0) return this.writeUnsignedVarInt(0);
    const tags = [...fields.keys()].sort((a, b) => a - b);
    this.writeUnsignedVarInt(tags.length);
    for (const tag of tags) {
      const v = fields.get(tag)!;
      this.writeUnsignedVarInt(tag).writeUnsignedVarInt(v.length).writeRaw(v);
    }
    return this;
  }

  /** Current write position in the scratch buffer, for {@link Encoder.patchInt32}. */
  mark(): number {
    if (this.chunks.length > 0) throw new Error('mark() is not available after writeChunk()');
    return this.pos;
  }

  /** Overwrites an int32 previously written at `at` (from {@link Encoder.mark}). */
  patchInt32(at: number, v: number): this {
    this.buf.writeInt32BE(v, at);
    return this;
  }

  private flushScratch(): void {
    if (this.pos === 0) return;
    const piece = this.buf.subarray(0, this.pos);
    this.chunks.push(piece);
    this.chunkedBytes += this.pos;
    // Continue in a fresh buffer: the flushed piece still references the old one.
    this.buf = Buffer.allocUnsafe(Math.max(INITIAL_SIZE, this.buf.length - this.pos));
    this.pos = 0;
  }

  /** The encoded bytes as a list of buffers, in order. */
  toBuffers(): Buffer[] {
    if (this.chunks.length === 0) return [this.buf.subarray(0, this.pos)];
    const out = this.chunks.slice();
    if (this.pos > 0) out.push(this.buf.subarray(0, this.pos));
    return out;
  }

  /** The encoded bytes as one buffer (copies when chunks were appended). */
  toBuffer(): Buffer {
    const parts = this.toBuffers();
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.length);
  }
}
