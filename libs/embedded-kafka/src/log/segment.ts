import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BATCH_HEADER_SIZE,
  LOG_OVERHEAD,
  batchCrcMatches,
  readBatchHeader,
  type BatchHeader,
} from './record-batch';
import { BatchIndex } from './batch-index';
import type { ReadCacheBudget } from './read-cache-budget';
import { SegmentReadCache } from './segment-read-cache';

/**
 * Size of one batch-index entry on disk:
 *   relativeOffset int32, position uint32, size int32, lastOffsetDelta int32,
 *   maxTimestamp int64, producerId int64, producerEpoch int16, attributes int16,
 *   baseSequence int32
 * The attributes keep the transactional/control bits, so an aborted-transaction
 * index and the last stable offset can later be rebuilt from it.
 */
export const INDEX_ENTRY_SIZE = 40;

/** Per-batch metadata kept in memory for every batch of a segment. */
export interface BatchEntry {
  baseOffset: number;
  lastOffset: number;
  position: number;
  size: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  attributes: number;
}

/** Zero-padded 20-digit file name stem, as Kafka names segments. */
export function segmentStem(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

/**
 * Index entries are written to `<base>.index` in groups, not with every append: once this many
 * batches, or {@link INDEX_FLUSH_BYTES} of log, are not yet indexed on disk, and whenever the
 * segment is synced, rolled or closed. The log itself is written before each append returns; a
 * broker killed before the index caught up rebuilds the missing entries on load by the same
 * length- and CRC-checked scan that recovers a torn tail.
 */
export const INDEX_FLUSH_BATCHES = 256;
/** Log bytes appended without their index entries on disk that trigger an index write (bounds the scan on load). */
export const INDEX_FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * One segment: `<base>.log` holds batches back to back exactly as received
 * (offsets rewritten), `<base>.index` one {@link INDEX_ENTRY_SIZE}-byte entry per
 * batch (a prefix of them between index writes, see {@link INDEX_FLUSH_BATCHES}).
 * The whole batch index is also kept in memory.
 */
export class Segment {
  /** The batch index, in memory (typed arrays, 44 bytes per batch). */
  readonly entries = new BatchIndex();
  size = 0;
  /** Entries of {@link entries} already written to the index file. */
  private indexedEntries = 0;
  /** Log size covered by the entries in the index file. */
  private indexedSize = 0;
  /** Recently appended bytes of this segment kept in memory for zero-copy fetches. */
  private readonly cache: SegmentReadCache;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private fd: number,
    private indexFd: number,
    cacheLimit: number,
    budget: ReadCacheBudget | undefined,
  ) {
    this.cache = new SegmentReadCache(cacheLimit, budget);
  }

  /** Bytes of memory held by the read cache (at most the cache limit, or one larger batch). */
  get cacheRetainedBytes(): number {
    return this.cache.retainedBytes;
  }

  get logPath(): string {
    return path.join(this.dir, `${segmentStem(this.baseOffset)}.log`);
  }

  get indexPath(): string {
    return path.join(this.dir, `${segmentStem(this.baseOffset)}.index`);
  }

  /** Offset after the last batch (base offset when empty). */
  get nextOffset(): number {
    const n = this.entries.length;
    return n === 0 ? this.baseOffset : this.entries.lastOffsetAt(n - 1) + 1;
  }

  /** Largest batch timestamp (-1 when empty). */
  get largestTimestamp(): number {
    return this.entries.maxTimestampOverall();
  }

  /**
   * Creates an empty segment whose read cache holds at most `cacheLimit` bytes, counted in the
   * broker-wide `budget` too when given.
   */
  static create(dir: string, baseOffset: number, cacheLimit: number, budget?: ReadCacheBudget): Segment {
    const stem = segmentStem(baseOffset);
    const fd = fs.openSync(path.join(dir, `${stem}.log`), 'a+');
    const indexFd = fs.openSync(path.join(dir, `${stem}.index`), 'a+');
    return new Segment(dir, baseOffset, fd, indexFd, cacheLimit, budget);
  }

  /**
   * Opens an existing segment: trusts index entries that are consistent with
   * the log file, then scans the rest of the log, validating length and CRC of
   * every batch; a torn or corrupt tail is truncated (returned as `truncatedBytes`).
   */
  static load(
    dir: string,
    baseOffset: number,
    cacheLimit: number,
    budget?: ReadCacheBudget,
  ): { segment: Segment; truncatedBytes: number } {
    const stem = segmentStem(baseOffset);
    const logPath = path.join(dir, `${stem}.log`);
    const indexPath = path.join(dir, `${stem}.index`);
    const fileSize = fs.statSync(logPath).size;
    const entries: BatchEntry[] = [];
    let position = 0;
    if (fs.existsSync(indexPath)) {
      const idx = fs.readFileSync(indexPath);
      for (let at = 0; at + INDEX_ENTRY_SIZE <= idx.length; at += INDEX_ENTRY_SIZE) {
        const e = decodeIndexEntry(idx, at, baseOffset);
        if (e.position !== position || e.size < BATCH_HEADER_SIZE || position + e.size > fileSize) break;
        entries.push(e);
        position += e.size;
      }
    }
    // Scan what the index does not cover.
    let truncatedBytes = 0;
    if (position < fileSize) {
      const fd = fs.openSync(logPath, 'r');
      try {
        const rest = Buffer.allocUnsafe(fileSize - position);
        fs.readSync(fd, rest, 0, rest.length, position);
        let at = 0;
        while (at + BATCH_HEADER_SIZE <= rest.length) {
          const h = readBatchHeader(rest, at);
          if (
            h.size < BATCH_HEADER_SIZE ||
            at + h.size > rest.length ||
            h.magic !== 2 ||
            !batchCrcMatches(rest, at, h.size)
          )
            break;
          entries.push(entryFromHeader(h, position + at));
          at += h.size;
        }
        truncatedBytes = rest.length - at;
        position += at;
      } finally {
        fs.closeSync(fd);
      }
      if (truncatedBytes > 0) fs.truncateSync(logPath, position);
    }
    // Rewrite the index so it matches the log exactly.
    const idxBuf = Buffer.alloc(entries.length * INDEX_ENTRY_SIZE);
    entries.forEach((e, i) => encodeIndexEntry(idxBuf, i * INDEX_ENTRY_SIZE, e, baseOffset));
    fs.writeFileSync(indexPath, idxBuf);
    const segment = new Segment(
      dir,
      baseOffset,
      fs.openSync(logPath, 'a+'),
      fs.openSync(indexPath, 'a+'),
      cacheLimit,
      budget,
    );
    for (const e of entries) segment.entries.push(e);
    segment.size = position;
    segment.indexedEntries = entries.length;
    segment.indexedSize = position;
    return { segment, truncatedBytes };
  }

  /**
   * Appends already-validated batches (offsets assigned) that lie back to back
   * in `data`, whose headers are `headers`: header `i` is at `headers[i].position - headerBase`
   * in `data` (so `headers` can be those of a larger buffer `data` is a slice of).
   * `owned`: the caller never modifies `data` again, so the read cache may keep
   * a view of it instead of a copy.
   */
  append(data: Buffer, headers: readonly BatchHeader[], owned = false, headerBase = 0): void {
    const start = this.size;
    writeOrCutBack(this.fd, data, start);
    for (let i = 0; i < headers.length; i++)
      this.entries.pushHeader(headers[i]!, start + headers[i]!.position - headerBase);
    this.size += data.length;
    if (
      this.entries.length - this.indexedEntries >= INDEX_FLUSH_BATCHES ||
      this.size - this.indexedSize >= INDEX_FLUSH_BYTES
    ) {
      try {
        this.flushIndex();
      } catch {
        // The batches are in the log: the append stands (failing it now would have the producer
        // resend them). Their index entries wait for the next index write, and a load rebuilds them.
      }
    }
    this.cache.append(start, data, owned);
  }

  /** Batches appended whose index entries are not in the index file yet. */
  get unindexedBatches(): number {
    return this.entries.length - this.indexedEntries;
  }

  /** Writes the index entries not yet in the index file (one write). */
  flushIndex(): void {
    const from = this.indexedEntries;
    const to = this.entries.length;
    if (to === from || this.indexFd < 0) return;
    const idx = Buffer.allocUnsafe((to - from) * INDEX_ENTRY_SIZE);
    for (let i = from; i < to; i++)
      encodeIndexEntry(idx, (i - from) * INDEX_ENTRY_SIZE, this.entries.get(i)!, this.baseOffset);
    writeOrCutBack(this.indexFd, idx, from * INDEX_ENTRY_SIZE);
    this.indexedEntries = to;
    this.indexedSize = this.size;
  }

  /** Drops the in-memory read cache and writes the pending index entries (when the segment stops being active). */
  dropCache(): void {
    this.cache.clear();
    this.flushIndex();
  }

  /** Index of the first batch whose last offset is >= `offset` (entries.length if none). */
  findBatch(offset: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries.lastOffsetAt(mid) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Bytes [position, position+length) of the log, as zero-copy views when cached. */
  read(position: number, length: number): Buffer[] {
    if (length === 0) return [];
    const cached = this.cache.read(position, length);
    if (cached) return cached;
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(this.fd, buf, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return [got === length ? buf : buf.subarray(0, got)];
  }

  /** Writes the pending index entries, then fdatasyncs log and index. */
  sync(): void {
    this.flushIndex();
    fs.fdatasyncSync(this.fd);
    fs.fdatasyncSync(this.indexFd);
  }

  close(): void {
    this.dropCache();
    if (this.fd >= 0) fs.closeSync(this.fd);
    if (this.indexFd >= 0) fs.closeSync(this.indexFd);
    this.fd = -1;
    this.indexFd = -1;
  }

  /** Closes and deletes the segment's files. */
  delete(): void {
    this.indexedEntries = this.entries.length; // nothing left worth writing
    this.close();
    fs.rmSync(this.logPath, { force: true });
    fs.rmSync(this.indexPath, { force: true });
  }
}

/**
 * Appends all of `data` to the file `fd` (opened for appending), whose size is `size`: `write(2)`
 * until all is written (a regular file may take it in several writes). If the disk refuses part-way
 * (ENOSPC), the file is cut back to `size` before the error is thrown: bytes left from a torn write
 * would shift every later append away from the position the index gives it.
 */
function writeOrCutBack(fd: number, data: Buffer, size: number): void {
  let at = 0;
  try {
    while (at < data.length) at += fs.writeSync(fd, data, at, data.length - at);
  } catch (e) {
    try {
      if (at > 0 || fs.fstatSync(fd).size !== size) fs.ftruncateSync(fd, size);
    } catch {
      // the disk's error below is the one to report
    }
    throw e;
  }
}

function entryFromHeader(h: BatchHeader, position: number): BatchEntry {
  return {
    baseOffset: h.baseOffset,
    lastOffset: h.baseOffset + h.lastOffsetDelta,
    position,
    size: h.size,
    maxTimestamp: h.maxTimestamp,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    attributes: h.attributes,
  };
}

const TWO_32 = 4294967296;

function encodeIndexEntry(buf: Buffer, at: number, e: BatchEntry, segmentBase: number): void {
  buf.writeInt32BE(e.baseOffset - segmentBase, at);
  buf.writeUInt32BE(e.position, at + 4);
  buf.writeInt32BE(e.size, at + 8);
  buf.writeInt32BE(e.lastOffset - e.baseOffset, at + 12);
  const ts = e.maxTimestamp;
  const tsHi = Math.floor(ts / TWO_32);
  buf.writeInt32BE(tsHi, at + 16);
  buf.writeUInt32BE(ts - tsHi * TWO_32, at + 20);
  const pid = e.producerId;
  const pidHi = Math.floor(pid / TWO_32);
  buf.writeInt32BE(pidHi, at + 24);
  buf.writeUInt32BE(pid - pidHi * TWO_32, at + 28);
  buf.writeInt16BE(e.producerEpoch, at + 32);
  buf.writeInt16BE(e.attributes, at + 34);
  buf.writeInt32BE(e.baseSequence, at + 36);
}

function decodeIndexEntry(buf: Buffer, at: number, segmentBase: number): BatchEntry {
  const baseOffset = segmentBase + buf.readInt32BE(at);
  return {
    baseOffset,
    position: buf.readUInt32BE(at + 4),
    size: buf.readInt32BE(at + 8),
    lastOffset: baseOffset + buf.readInt32BE(at + 12),
    maxTimestamp: buf.readInt32BE(at + 16) * TWO_32 + buf.readUInt32BE(at + 20),
    producerId: buf.readInt32BE(at + 24) * TWO_32 + buf.readUInt32BE(at + 28),
    producerEpoch: buf.readInt16BE(at + 32),
    attributes: buf.readInt16BE(at + 34),
    baseSequence: buf.readInt32BE(at + 36),
  };
}

export { LOG_OVERHEAD };
