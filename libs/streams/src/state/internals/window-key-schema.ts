import { InvalidStoreConfigError } from '../errors';

/** Bytes after the key in a window store key: 8-byte timestamp + 4-byte sequence number. */
export const WINDOW_SUFFIX_BYTES = 12;
const TWO_32 = 2 ** 32;

/** Largest timestamp the schemas accept (Kafka Streams' `Long.MAX_VALUE` is beyond a JS number; this is 2^53 - 1). */
export const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/** Writes a non-negative integer timestamp as 8 big-endian bytes (Java's `long`). */
export function writeTimestamp(buffer: Buffer, offset: number, timestamp: number): void {
  buffer.writeUInt32BE(Math.floor(timestamp / TWO_32), offset);
  buffer.writeUInt32BE(timestamp % TWO_32, offset + 4);
}

/**
 * Reads a timestamp written by {@link writeTimestamp}. Byte by byte (no `readUInt32BE` calls with
 * their argument checks): the store layers read several per record.
 */
export function readTimestamp(buffer: Buffer, offset: number): number {
  if (!(offset >= 0 && offset + 8 <= buffer.length))
    throw new RangeError(`timestamp at offset ${offset} is outside a buffer of ${buffer.length} bytes`);
  const high =
    ((buffer[offset]! << 24) |
      (buffer[offset + 1]! << 16) |
      (buffer[offset + 2]! << 8) |
      buffer[offset + 3]!) >>>
    0;
  const low =
    ((buffer[offset + 4]! << 24) |
      (buffer[offset + 5]! << 16) |
      (buffer[offset + 6]! << 8) |
      buffer[offset + 7]!) >>>
    0;
  return high * TWO_32 + low;
}

/** Throws a clear error for a timestamp the store cannot order (negative, fractional, unsafe). */
export function requireTimestamp(timestamp: number, what: string, storeName: string): number {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new InvalidStoreConfigError(
      `store ${storeName}: ${what} must be a non-negative integer timestamp, got ${timestamp}`,
    );
  }
  return timestamp;
}

/**
 * Kafka Streams' `WindowKeySchema` store key: `[key][windowStart: 8 bytes BE][seqnum: 4 bytes BE]`,
 * the layout of window store changelog keys, so Kafka Streams' tools and this library read each other's changelogs.
 */
export const WindowKeySchema = {
  toStoreKey(key: Buffer, windowStart: number, seqnum: number): Buffer {
    const out = Buffer.allocUnsafe(key.length + WINDOW_SUFFIX_BYTES);
    key.copy(out, 0);
    writeTimestamp(out, key.length, windowStart);
    out.writeUInt32BE(seqnum >>> 0, key.length + 8);
    return out;
  },
  extractKey(storeKey: Buffer): Buffer {
    return storeKey.subarray(0, storeKey.length - WINDOW_SUFFIX_BYTES);
  },
  extractTimestamp(storeKey: Buffer): number {
    return readTimestamp(storeKey, storeKey.length - WINDOW_SUFFIX_BYTES);
  },
  extractSeqnum(storeKey: Buffer): number {
    return storeKey.readUInt32BE(storeKey.length - 4);
  },
  /** Smallest store key of `key` at or after `from`. */
  lowerRange(key: Buffer, from: number): Buffer {
    return WindowKeySchema.toStoreKey(key, from, 0);
  },
  /** Largest store key of `key` at or before `to`. */
  upperRange(key: Buffer, to: number): Buffer {
    return WindowKeySchema.toStoreKey(key, to, 0xffffffff);
  },
};

/** Bytes after the key in a session store key: 8-byte end + 8-byte start. */
export const SESSION_SUFFIX_BYTES = 16;

/**
 * Kafka Streams' `SessionKeySchema` store key: `[key][sessionEnd: 8 bytes BE][sessionStart: 8 bytes BE]`,
 * the layout of session store changelog keys.
 */
export const SessionKeySchema = {
  toStoreKey(key: Buffer, start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(key.length + SESSION_SUFFIX_BYTES);
    key.copy(out, 0);
    writeTimestamp(out, key.length, end);
    writeTimestamp(out, key.length + 8, start);
    return out;
  },
  extractKey(storeKey: Buffer): Buffer {
    return storeKey.subarray(0, storeKey.length - SESSION_SUFFIX_BYTES);
  },
  extractEnd(storeKey: Buffer): number {
    return readTimestamp(storeKey, storeKey.length - SESSION_SUFFIX_BYTES);
  },
  extractStart(storeKey: Buffer): number {
    return readTimestamp(storeKey, storeKey.length - 8);
  },
};
