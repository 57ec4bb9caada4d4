/**
 * Record batch (magic v2) layout, as stored on disk and sent on the wire:
 *
 * RecordBatch =>
 *   baseOffset: int64              @0   (rewritten by the broker; not covered by the CRC)
 *   batchLength: int32             @8   (bytes after this field)
 *   partitionLeaderEpoch: int32    @12  (rewritten by the broker; not covered by the CRC)
 *   magic: int8 (= 2)              @16
 *   crc: uint32                    @17  (CRC-32C of attributes .. end)
 *   attributes: int16              @21  (bits 0-2 compression, 3 timestampType, 4 isTransactional, 5 isControl)
 *   lastOffsetDelta: int32         @23
 *   baseTimestamp: int64           @27
 *   maxTimestamp: int64            @35
 *   producerId: int64              @43
 *   producerEpoch: int16           @51
 *   baseSequence: int32            @53
 *   records: [Record]              @57 (int32 count, then the records)
 */
import { CODEC_NONE, decompress } from './compression';
import { crc32c } from '@node-rs/crc32';
import { Decoder } from '../protocol/decoder';

export const BATCH_HEADER_SIZE = 61;
/** Bytes before batchLength's coverage starts (baseOffset + batchLength). */
export const LOG_OVERHEAD = 12;
export const OFFSET_BASE_OFFSET = 0;
export const OFFSET_LENGTH = 8;
export const OFFSET_LEADER_EPOCH = 12;
export const OFFSET_MAGIC = 16;
export const OFFSET_CRC = 17;
export const OFFSET_ATTRIBUTES = 21;
export const OFFSET_LAST_OFFSET_DELTA = 23;
export const OFFSET_BASE_TIMESTAMP = 27;
export const OFFSET_MAX_TIMESTAMP = 35;
export const OFFSET_PRODUCER_ID = 43;
export const OFFSET_PRODUCER_EPOCH = 51;
export const OFFSET_BASE_SEQUENCE = 53;
export const OFFSET_RECORD_COUNT = 57;

export const ATTR_COMPRESSION_MASK = 0x07;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;

const TWO_32 = 4294967296;

/** Reads an int64 at `at` as a number. */
export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
}

/** Writes an int64 number at `at`. */
export function writeInt64(buf: Buffer, at: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(v - hi * TWO_32, at + 4);
}

/** Header fields of one batch (no records decoded). */
export interface BatchHeader {
  /** Byte position of the batch inside the buffer it was read from. */
  readonly position: number;
  /** Total size in bytes (12 + batchLength). */
  readonly size: number;
  readonly baseOffset: number;
  readonly magic: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

/** Reads a batch header at `at` (caller checked that 61 bytes are there). */
export function readBatchHeader(buf: Buffer, at: number): BatchHeader {
  return {
    position: at,
    size: LOG_OVERHEAD + buf.readInt32BE(at + OFFSET_LENGTH),
    baseOffset: readInt64(buf, at + OFFSET_BASE_OFFSET),
    magic: buf.readInt8(at + OFFSET_MAGIC),
    attributes: buf.readInt16BE(at + OFFSET_ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(at + OFFSET_LAST_OFFSET_DELTA),
    baseTimestamp: readInt64(buf, at + OFFSET_BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, at + OFFSET_MAX_TIMESTAMP),
    producerId: readInt64(buf, at + OFFSET_PRODUCER_ID),
    producerEpoch: buf.readInt16BE(at + OFFSET_PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(at + OFFSET_BASE_SEQUENCE),
    recordCount: buf.readInt32BE(at + OFFSET_RECORD_COUNT),
  };
}

/** CRC-32C the batch at `at` (size bytes) should carry. */
export function computeBatchCrc(buf: Buffer, at: number, size: number): number {
  return crc32c(buf.subarray(at + OFFSET_ATTRIBUTES, at + size)) >>> 0;
}

/** True when the stored CRC matches the content. */
export function batchCrcMatches(buf: Buffer, at: number, size: number): boolean {
  return buf.readUInt32BE(at + OFFSET_CRC) === computeBatchCrc(buf, at, size);
}

/** Why a record set was refused, with the Kafka error code to return. */
export interface BatchProblem {
  readonly errorCode: number;
  readonly message: string;
}

/** One decoded record (used by the cleaner and timestamp lookups, never on the produce/fetch path). */
export interface DecodedRecord {
  readonly attributes: number;
  readonly timestampDelta: number;
  readonly offsetDelta: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { key: string; value: Buffer | null }[];
}

/**
 * Decodes the records of an uncompressed batch at `at`.
 *
 * Record =>
 *   length: varint, attributes: int8, timestampDelta: varlong, offsetDelta: varint,
 *   keyLength: varint, key: byte[], valueLength: varint, value: byte[],
 *   headersCount: varint, Header => headerKeyLength: varint, headerKey: string,
 *                                   headerValueLength: varint, value: byte[]
 */
export function decodeRecords(buf: Buffer, at: number, size: number): DecodedRecord[] {
  const count = buf.readInt32BE(at + OFFSET_RECORD_COUNT);
  const d = new Decoder(buf, at + BATCH_HEADER_SIZE, at + size);
  const out: DecodedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const len = d.readVarInt();
    const end = d.offset + len;
    const attributes = d.readInt8();
    const timestampDelta = d.readVarLong();
    const offsetDelta = d.readVarInt();
    const key = d.readVarIntBytes();
    const value = d.readVarIntBytes();
    const hc = d.readVarInt();
    const headers: { key: string; value: Buffer | null }[] = [];
    for (let h = 0; h < hc; h++) {
      const hk = d.readVarIntBytes();
      headers.push({ key: hk ? hk.toString('utf8') : '', value: d.readVarIntBytes() });
    }
    d.offset = end;
    out.push({ attributes, timestampDelta, offsetDelta, key, value, headers });
  }
  return out;
}

/**
 * Decodes the records of a whole batch in `buf` in any codec, or null when its records cannot be
 * decompressed or decoded (the caller keeps such a batch as it is).
 */
export function decodeBatch(buf: Buffer): DecodedRecord[] | null {
  const codec = buf.readInt16BE(OFFSET_ATTRIBUTES) & ATTR_COMPRESSION_MASK;
  try {
    if (codec === CODEC_NONE) return decodeRecords(buf, 0, buf.length);
    const plain = decompress(codec, buf.subarray(BATCH_HEADER_SIZE));
    const joined = Buffer.concat([buf.subarray(0, BATCH_HEADER_SIZE), plain]);
    return decodeRecords(joined, 0, joined.length);
  } catch {
    return null;
  }
}
