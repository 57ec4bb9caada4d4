import { MalformedRequestError } from '../errors/kafka-broker-error';

const TWO_32 = 4294967296;

/**
 * Reads Kafka protocol primitives from a Buffer, front to back.
 *
 * Every read checks bounds and throws {@link MalformedRequestError} naming the
 * field type and position, so a truncated or garbled request never reads past
 * its frame. 64-bit integers are returned as JS numbers (exact up to 2^53, which
 * covers offsets, timestamps and producer ids this broker hands out); use
 * {@link Decoder.readInt64Big} when the full range matters.
 */
export class Decoder {
  /** Current read position inside {@link Decoder.buffer}. */
  offset: number;
  private readonly end: number;

  constructor(
    /** The buffer being read. */
    readonly buffer: Buffer,
    start = 0,
    end = buffer.length,
  ) {
    this.offset = start;
    this.end = end;
  }

  /** Bytes left to read. */
  remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.offset + n > this.end) {
      throw new MalformedRequestError(
        `truncated request: cannot read ${what} (${n} bytes) at offset ${this.offset}, only ${this.end - this.offset} left`,
      );
    }
  }

  readInt8(): number {
    this.need(1, 'int8');
    return this.buffer.readInt8(this.offset++);
  }

  readBoolean(): boolean {
    return this.readInt8() !== 0;
  }

  readInt16(): number {
    this.need(2, 'int16');
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  readInt32(): number {
    this.need(4, 'int32');
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  readUInt32(): number {
    this.need(4, 'uint32');
    const v = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** int64 as a number (exact within +-2^53). */
  readInt64(): number {
    this.need(8, 'int64');
    const hi = this.buffer.readInt32BE(this.offset);
    const lo = this.buffer.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return hi * TWO_32 + lo;
  }

  /** int64 as a bigint (full range). */
  readInt64Big(): bigint {
    this.need(8, 'int64');
    const v = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  /** Unsigned LEB128 varint (up to 32 bits). */
  readUnsignedVarInt(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.offset >= this.end)
        throw new MalformedRequestError(`truncated request: varint at offset ${this.offset}`);
      const b = this.buffer[this.offset++]!;
      if (shift < 28) result |= (b & 0x7f) << shift;
      else if (shift === 28) result = (result | ((b & 0x0f) << 28)) >>> 0;
      else throw new MalformedRequestError(`varint too long at offset ${this.offset}`);
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /** Zig-zag encoded signed varint (32 bits). */
  readVarInt(): number {
    const u = this.readUnsignedVarInt();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag encoded signed varlong, as a number (exact within +-2^53). */
  readVarLong(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (this.offset >= this.end)
        throw new MalformedRequestError(`truncated request: varlong at offset ${this.offset}`);
      if (i >= 10) throw new MalformedRequestError(`varlong too long at offset ${this.offset}`);
      const b = this.buffer[this.offset++]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
    }
    return result % 2 === 1 ? -(result + 1) / 2 : result / 2;
  }

  /** int16-length string; throws on null. */
  readString(): string {
    const s = this.readNullableString();
    if (s === null)
      throw new MalformedRequestError(`null string where a string is required at offset ${this.offset}`);
    return s;
  }

  /** int16-length string, -1 meaning null. */
  readNullableString(): string | null {
    const len = this.readInt16();
    if (len < 0) return null;
    this.need(len, 'string');
    const s = this.buffer.toString('utf8', this.offset, this.offset + len);
    this.offset += len;
    return s;
  }

  /** int32-length bytes (a view, not a copy); throws on null. */
  readBytes(): Buffer {
    const b = this.readNullableBytes();
    if (b === null)
      throw new MalformedRequestError(`null bytes where bytes are required at offset ${this.offset}`);
    return b;
  }

  /** int32-length bytes (a view, not a copy), -1 meaning null. */
  readNullableBytes(): Buffer | null {
    const len = this.readInt32();
    if (len < 0) return null;
    return this.readRaw(len);
  }

  /** varint-length bytes as used inside records, -1 meaning null (a view). */
  readVarIntBytes(): Buffer | null {
    const len = this.readVarInt();
    if (len < 0) return null;
    return this.readRaw(len);
  }

  /** `n` raw bytes (a view, not a copy). */
  readRaw(n: number): Buffer {
    this.need(n, 'bytes');
    const b = this.buffer.subarray(this.offset, this.offset + n);
    this.offset += n;
    return b;
  }

  /** int32-count array; throws on null. */
  readArray<T>(readItem: (d: Decoder) => T): T[] {
    const a = this.readNullableArray(readItem);
    if (a === null)
      throw new MalformedRequestError(`null array where an array is required at offset ${this.offset}`);
    return a;
  }

  /** int32-count array, -1 meaning null. */
  readNullableArray<T>(readItem: (d: Decoder) => T): T[] | null {
    const n = this.readInt32();
    if (n < 0) return null;
    // Each element takes at least one byte: refuse absurd counts before allocating.
    if (n > this.remaining()) {
      throw new MalformedRequestError(
        `array count ${n} exceeds the ${this.remaining()} bytes left at offset ${this.offset}`,
      );
    }
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = readItem(this);
    return out;
  }

  /** Array of int32 values. */
  readInt32Array(): number[] {
    return this.readArray((d) => d.readInt32());
  }

  /** Array of strings. */
  readStringArray(): string[] {
    return this.readArray((d) => d.readString());
  }

  // ---- Flexible versions (KIP-482): compact forms, tagged fields, UUIDs ----

  /** Compact length (unsigned varint N+1, 0 meaning null), as N or -1. */
  private readCompactLength(what: string): number {
    const n = this.readUnsignedVarInt() - 1;
    if (n > this.remaining()) {
      throw new MalformedRequestError(
        `${what} length ${n} exceeds the ${this.remaining()} bytes left at offset ${this.offset}`,
      );
    }
    return n;
  }

  /** COMPACT_STRING; throws on null. */
  readCompactString(): string {
    const s = this.readCompactNullableString();
    if (s === null)
      throw new MalformedRequestError(
        `null compact string where a string is required at offset ${this.offset}`,
      );
    return s;
  }

  /** COMPACT_NULLABLE_STRING (unsigned varint length + 1, 0 meaning null). */
  readCompactNullableString(): string | null {
    const len = this.readCompactLength('compact string');
    if (len < 0) return null;
    const s = this.buffer.toString('utf8', this.offset, this.offset + len);
    this.offset += len;
    return s;
  }

  /** COMPACT_BYTES (a view); throws on null. */
  readCompactBytes(): Buffer {
    const b = this.readCompactNullableBytes();
    if (b === null)
      throw new MalformedRequestError(`null compact bytes where bytes are required at offset ${this.offset}`);
    return b;
  }

  /** COMPACT_NULLABLE_BYTES / COMPACT_RECORDS (a view), 0 length prefix meaning null. */
  readCompactNullableBytes(): Buffer | null {
    const len = this.readCompactLength('compact bytes');
    if (len < 0) return null;
    return this.readRaw(len);
  }

  /** COMPACT_ARRAY; throws on null. */
  readCompactArray<T>(readItem: (d: Decoder) => T): T[] {
    const a = this.readCompactNullableArray(readItem);
    if (a === null)
      throw new MalformedRequestError(
        `null compact array where an array is required at offset ${this.offset}`,
      );
    return a;
  }

  /** COMPACT_NULLABLE_ARRAY (unsigned varint count + 1, 0 meaning null). */
  readCompactNullableArray<T>(readItem: (d: Decoder) => T): T[] | null {
    const n = this.readCompactLength('compact array');
    if (n < 0) return null;
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = readItem(this);
    return out;
  }

  /** Compact array of int32 values. */
  readCompactInt32Array(): number[] {
    return this.readCompactArray((d) => d.readInt32());
  }

  /** Compact array of compact strings. */
  readCompactStringArray(): string[] {
    return this.readCompactArray((d) => d.readCompactString());
  }

  /** UUID: 16 bytes, returned as 32 lowercase hex digits. */
  readUuid(): string {
    return this.readRaw(16).toString('hex');
  }

  /**
   * TAG_BUFFER: an unsigned varint count, then per field its tag, size and
   * bytes. Tags must be strictly increasing. Returns the fields by tag (views);
   * callers read the tags their version knows and ignore the rest, as Kafka does.
   */
  readTaggedFields(): Map<number, Buffer> {
    const n = this.readUnsignedVarInt();
    const fields = new Map<number, Buffer>();
    if (n === 0) return fields;
    if (n > this.remaining()) {
      throw new MalformedRequestError(
        `tagged field count ${n} exceeds the bytes left at offset ${this.offset}`,
      );
    }
    let previous = -1;
    for (let i = 0; i < n; i++) {
      const tag = this.readUnsignedVarInt();
      if (tag <= previous) {
        throw new MalformedRequestError(
          `tagged fields out of order (tag ${tag} after ${previous}) at offset ${this.offset}`,
        );
      }
      previous = tag;
      const size = this.readUnsignedVarInt();
      fields.set(tag, this.readRaw(size));
    }
    return fields;
  }
}
