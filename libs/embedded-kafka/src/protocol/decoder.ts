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
}
