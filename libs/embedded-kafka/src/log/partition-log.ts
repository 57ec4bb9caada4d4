import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode } from '../protocol/error-codes';
import {
  ATTR_COMPRESSION_MASK,
  ATTR_CONTROL,
  ATTR_TRANSACTIONAL,
  BATCH_HEADER_SIZE,
  LOG_OVERHEAD,
  OFFSET_BASE_OFFSET,
  OFFSET_LEADER_EPOCH,
  batchCrcMatches,
  decodeBatch,
  readBatchHeader,
  writeInt64,
  type BatchHeader,
} from './record-batch';

/**
 * Checks a transactional batch against the transaction coordinator before it is
 * written (KIP-890 verification): an error to refuse it with, or undefined.
 */
export type TransactionalBatchCheck = (
  producerId: number,
  producerEpoch: number,
) => { errorCode: number; message: string } | undefined;
import { buildControlBatch, isCommitMarker } from './control-batch';
import { ListenerList } from './listener-list';
import { Segment, type BatchEntry } from './segment';
import { TransactionIndex } from './transaction-index';
import type { ReadCacheBudget } from './read-cache-budget';
import type { TopicConfig } from './topic-config';

/** Outcome of appending one partition's record set. */
export interface AppendResult {
  readonly errorCode: number;
  /** Offset of the first appended record (or of the original, for a duplicate), -1 on error. */
  readonly baseOffset: number;
  readonly logStartOffset: number;
  /** Human-readable reason when errorCode != 0. */
  readonly errorMessage: string | null;
}

/** Batches read for a Fetch, as buffers to send as they are. */
export interface ReadResult {
  readonly chunks: Buffer[];
  readonly bytes: number;
}

interface ProducerBatch {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

interface ProducerState {
  epoch: number;
  recent: ProducerBatch[];
}

const MAX_RECENT_BATCHES = 5;
const INT32_MAX = 2147483647;
const START_OFFSET_FILE = 'log-start-offset';

/** Options shared by every partition log of a broker. */
export interface PartitionLogOptions {
  readonly fsyncAlways: boolean;
  /**
   * fdatasync a segment's appends not yet synced when it rolls (any fsync policy but `never`; as
   * Kafka flushes a rolled segment): the policy's later syncs only reach the active segment.
   * Defaults to `fsyncAlways`.
   */
  readonly fsyncOnRoll?: boolean;
  /** Bytes of recently appended data kept in memory per partition for fetches. */
  readonly cacheBytes: number;
  /** The broker-wide bound on every partition's read cache together (none: only `cacheBytes` each). */
  readonly readCacheBudget?: ReadCacheBudget;
}

/**
 * The log of one partition: a directory `<topic>-<partition>` of segments.
 * Appends whole batches as received (offsets rewritten), keeps an in-memory
 * batch index, tracks idempotent producers, and serves reads as raw batch bytes.
 */
export class PartitionLog {
  private segments: Segment[] = [];
  private readonly producers = new Map<number, ProducerState>();
  private readonly txns = new TransactionIndex();
  private readonly appendListeners = new ListenerList();
  private _logStartOffset = 0;
  private dirty = false;
  /** Bytes appended since the last cleaner pass (compacted topics). */
  dirtyBytes = 0;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string,
    private config: TopicConfig,
    private readonly options: PartitionLogOptions,
  ) {}

  /** Opens (or creates) the log in `dir`, recovering a torn tail. */
  static open(
    topic: string,
    partition: number,
    dir: string,
    config: TopicConfig,
    options: PartitionLogOptions,
    onRecovery?: (message: string) => void,
  ): PartitionLog {
    fs.mkdirSync(dir, { recursive: true });
    const log = new PartitionLog(topic, partition, dir, config, options);
    const bases = fs
      .readdirSync(dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((a, b) => a - b);
    // Remove leftovers of an interrupted cleaner pass.
    for (const f of fs.readdirSync(dir))
      if (f.endsWith('.cleaned')) fs.rmSync(path.join(dir, f), { force: true });
    for (let i = 0; i < bases.length; i++) {
      const last = i === bases.length - 1;
      const { segment, truncatedBytes } = Segment.load(
        dir,
        bases[i]!,
        last ? options.cacheBytes : 0,
        options.readCacheBudget,
      );
      if (truncatedBytes > 0) {
        onRecovery?.(
          `${topic}-${partition}: truncated ${truncatedBytes} bytes of a torn or corrupt tail in ${segment.logPath}`,
        );
      }
      const prev = log.segments[log.segments.length - 1];
      if (prev && segment.baseOffset < prev.nextOffset) {
        // Superseded by a cleaned segment whose swap completed before a crash.
        onRecovery?.(
          `${topic}-${partition}: removing segment ${segment.logPath} superseded by a cleaned segment`,
        );
        segment.delete();
        continue;
      }
      log.segments.push(segment);
    }
    if (log.segments.length === 0)
      log.segments.push(Segment.create(dir, 0, options.cacheBytes, options.readCacheBudget));
    const startFile = path.join(dir, START_OFFSET_FILE);
    const first = log.segments[0]!;
    log._logStartOffset = first.entries.length > 0 ? first.entries.get(0)!.baseOffset : first.baseOffset;
    if (fs.existsSync(startFile)) {
      const saved = Number(fs.readFileSync(startFile, 'utf8').trim());
      if (Number.isSafeInteger(saved))
        log._logStartOffset = Math.min(Math.max(saved, log._logStartOffset), log.logEndOffset);
    }
    // Data written before a restart may not have been compacted yet.
    log.dirtyBytes = config.compact ? log.sizeInBytes : 0;
    for (const seg of log.segments)
      for (const e of seg.entries) {
        if ((e.attributes & ATTR_CONTROL) !== 0) {
          const commit = isCommitMarker(Buffer.concat(seg.read(e.position, e.size)));
          log.trackMarker(e.producerId, e.producerEpoch, commit, e.baseOffset);
          continue;
        }
        if ((e.attributes & ATTR_TRANSACTIONAL) !== 0 && e.producerId >= 0)
          log.txns.onData(e.producerId, e.baseOffset);
        log.trackProducer(
          e.producerId,
          e.producerEpoch,
          e.baseSequence,
          e.lastOffset - e.baseOffset,
          e.baseOffset,
        );
      }
    log.txns.dropBelow(log._logStartOffset);
    return log;
  }

  /** First offset still readable. */
  get logStartOffset(): number {
    return this._logStartOffset;
  }

  /** Offset the next appended record gets. */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  /** Single node: every appended record is committed at once. */
  get highWatermark(): number {
    return this.logEndOffset;
  }

  /**
   * The last stable offset: the first offset of the oldest transaction still
   * open on this partition, or the high watermark when none is.
   */
  get lastStableOffset(): number {
    return this.txns.firstUnstableOffset() ?? this.highWatermark;
  }

  /** Aborted transactions overlapping `[from, to)` (a read_committed Fetch lists them). */
  abortedTransactions(from: number, to: number): { producerId: number; firstOffset: number }[] {
    return this.txns.abortedIn(from, to);
  }

  /** True when the batch of `producerId` at `offset` belongs to an aborted transaction (the cleaner drops it). */
  isAborted(producerId: number, offset: number): boolean {
    return this.txns.isAborted(producerId, offset);
  }

  /** True when `producerId` has transactional data here that no marker has ended yet. */
  hasOngoingTransaction(producerId: number): boolean {
    return this.txns.hasOngoing(producerId);
  }

  /**
   * Writes a transaction marker (commit or abort control batch) for
   * `producerId`, ending its transaction on this partition; returns its offset.
   */
  appendMarker(
    producerId: number,
    producerEpoch: number,
    commit: boolean,
    coordinatorEpoch: number,
    now: number,
  ): number {
    const batch = buildControlBatch(producerId, producerEpoch, commit, coordinatorEpoch, now);
    const h = readBatchHeader(batch, 0);
    const offset = this.logEndOffset;
    writeInt64(batch, OFFSET_BASE_OFFSET, offset);
    (h as { baseOffset: number }).baseOffset = offset;
    this.writeBatches(batch, [h]);
    this.trackMarker(producerId, producerEpoch, commit, offset);
    this.appendListeners.fire();
    return offset;
  }

  private trackMarker(producerId: number, epoch: number, commit: boolean, offset: number): void {
    this.txns.onMarker(producerId, commit, offset);
    const state = this.producers.get(producerId);
    if (!state || epoch > state.epoch) this.producers.set(producerId, { epoch, recent: [] });
  }

  /** Bytes of memory held by the batch indexes of all segments (44 per batch, capacity counted). */
  get batchIndexBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.entries.retainedBytes;
    return n;
  }

  /** Bytes on disk over all segments. */
  get sizeInBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** The segments, oldest first (read-only use: cleaner, tests). */
  segmentList(): readonly Segment[] {
    return this.segments;
  }

  updateConfig(config: TopicConfig): void {
    this.config = config;
  }

  /** Registers a callback fired after each append; returns an unsubscribe function. */
  onAppend(listener: () => void): () => void {
    return this.appendListeners.add(listener);
  }

  /**
   * Validates and appends a record set (one or more v2 batches back to back; Produce
   * hands it exactly one, as Kafka requires, see `produceRecordsProblem`). On a validation error nothing is written. A write the disk refuses
   * throws; the batches of `records` already written to an earlier segment (the
   * set spanned a roll) stay, tracked, so a retry finds them as duplicates.
   * `records` is taken over: offsets are rewritten in it, and the read cache may
   * keep views of it, so the caller must not modify it afterwards.
   */
  append(records: Buffer, now: number, checkTransactional?: TransactionalBatchCheck): AppendResult {
    const fail = (errorCode: number, message: string): AppendResult => ({
      errorCode,
      baseOffset: -1,
      logStartOffset: this._logStartOffset,
      errorMessage: message,
    });
    if (records.length === 0) return fail(ErrorCode.CORRUPT_MESSAGE, 'empty record set');
    const headers: BatchHeader[] = [];
    let at = 0;
    while (at < records.length) {
      if (records.length - at < BATCH_HEADER_SIZE)
        return fail(
          ErrorCode.CORRUPT_MESSAGE,
          `record set truncated: ${records.length - at} trailing bytes are not a batch`,
        );
      const magic = records.readInt8(at + 16);
      if (magic !== 2)
        return fail(
          ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
          `record batch magic ${magic} is not supported (only v2 record batches)`,
        );
      const h = readBatchHeader(records, at);
      if (h.size < BATCH_HEADER_SIZE || at + h.size > records.length)
        return fail(
          ErrorCode.CORRUPT_MESSAGE,
          `record batch length ${h.size} does not fit the ${records.length - at} bytes sent`,
        );
      if (h.size > this.config.maxMessageBytes)
        return fail(
          ErrorCode.MESSAGE_TOO_LARGE,
          `record batch of ${h.size} bytes exceeds max.message.bytes ${this.config.maxMessageBytes}`,
        );
      if (!batchCrcMatches(records, at, h.size))
        return fail(ErrorCode.CORRUPT_MESSAGE, 'record batch CRC-32C mismatch');
      if ((h.attributes & ATTR_CONTROL) !== 0)
        return fail(ErrorCode.INVALID_RECORD, 'clients may not send control batches');
      if ((h.attributes & ATTR_TRANSACTIONAL) !== 0) {
        if (h.producerId < 0)
          return fail(ErrorCode.INVALID_RECORD, 'a transactional batch must carry a producer id');
        const refused = checkTransactional?.(h.producerId, h.producerEpoch);
        if (refused) return fail(refused.errorCode, refused.message);
      }
      if (h.recordCount <= 0 || h.lastOffsetDelta !== h.recordCount - 1)
        return fail(
          ErrorCode.INVALID_RECORD,
          `record batch has ${h.recordCount} records but lastOffsetDelta ${h.lastOffsetDelta}`,
        );
      if ((h.attributes & ATTR_COMPRESSION_MASK) > 4)
        return fail(
          ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
          `unknown compression codec ${h.attributes & ATTR_COMPRESSION_MASK}`,
        );
      headers.push(h);
      at += h.size;
    }
    // Idempotent producers: check before writing anything.
    let firstOffset = -1;
    const accepted: BatchHeader[] = [];
    for (const h of headers) {
      if (h.producerId >= 0) {
        const verdict = this.checkSequence(h);
        if (verdict.errorCode !== ErrorCode.NONE) return fail(verdict.errorCode, verdict.message);
        if (verdict.duplicateOf !== undefined) {
          if (headers.length === 1)
            return {
              errorCode: 0,
              baseOffset: verdict.duplicateOf,
              logStartOffset: this._logStartOffset,
              errorMessage: null,
            };
          if (firstOffset < 0) firstOffset = verdict.duplicateOf;
          continue;
        }
      }
      accepted.push(h);
    }
    if (accepted.length === 0)
      return {
        errorCode: 0,
        baseOffset: firstOffset,
        logStartOffset: this._logStartOffset,
        errorMessage: null,
      };
    // Assign offsets by rewriting baseOffset (not covered by the CRC).
    let next = this.logEndOffset;
    for (const h of accepted) {
      writeInt64(records, h.position + OFFSET_BASE_OFFSET, next);
      records.writeInt32BE(0, h.position + OFFSET_LEADER_EPOCH);
      (h as { baseOffset: number }).baseOffset = next;
      next += h.lastOffsetDelta + 1;
    }
    const base = accepted[0]!.baseOffset;
    this.writeBatches(records, accepted, true);
    void now;
    this.appendListeners.fire();
    return {
      errorCode: 0,
      baseOffset: firstOffset >= 0 ? firstOffset : base,
      logStartOffset: this._logStartOffset,
      errorMessage: null,
    };
  }

  /** Writes `accepted` (in `records`) to the log; `track`: Produce batches, whose producer and transaction state is kept. */
  private writeBatches(records: Buffer, accepted: BatchHeader[], track = false): void {
    // Contiguous runs go to the active segment in one write; roll when full (syncing the rolled
    // segment under an fsync policy: a record set may span the roll).
    let i = 0;
    while (i < accepted.length) {
      const seg = this.maybeRoll(accepted[i]!.size);
      let j = i;
      let bytes = 0;
      while (
        j < accepted.length &&
        (j === i || seg.size + bytes + accepted[j]!.size <= this.config.segmentBytes) &&
        (j === i || accepted[j]!.position === accepted[j - 1]!.position + accepted[j - 1]!.size)
      ) {
        bytes += accepted[j]!.size;
        j++;
      }
      const start = accepted[i]!.position;
      const slice = records.subarray(start, start + bytes);
      seg.append(slice, j - i === accepted.length ? accepted : accepted.slice(i, j), true, start);
      this.dirty = true;
      this.dirtyBytes += bytes;
      // Tracked as soon as they are in the log: if a later run fails (the disk refusing the next
      // segment's write), a retry of the request finds these as duplicates, and a transaction's
      // first offset is known.
      if (track) for (let k = i; k < j; k++) this.trackAppended(accepted[k]!);
      i = j;
    }
    if (this.options.fsyncAlways) {
      this.active.sync();
      this.dirty = false;
    }
  }

  private maybeRoll(incoming: number): Segment {
    const seg = this.active;
    if (seg.entries.length > 0 && seg.size + incoming > this.config.segmentBytes) {
      this.syncBeforeRoll(seg);
      seg.dropCache();
      const next = Segment.create(
        this.dir,
        seg.nextOffset,
        this.options.cacheBytes,
        this.options.readCacheBudget,
      );
      this.segments.push(next);
      return next;
    }
    return seg;
  }

  /** Forces the active segment to roll (tests, cleaner). */
  roll(): void {
    const seg = this.active;
    if (seg.entries.length === 0) return;
    this.syncBeforeRoll(seg);
    seg.dropCache();
    this.segments.push(
      Segment.create(this.dir, seg.nextOffset, this.options.cacheBytes, this.options.readCacheBudget),
    );
  }

  private checkSequence(h: BatchHeader): { errorCode: number; message: string; duplicateOf?: number } {
    const ok = { errorCode: ErrorCode.NONE, message: '' };
    const state = this.producers.get(h.producerId);
    if (!state) return ok;
    if (h.producerEpoch < state.epoch) {
      return {
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `producer ${h.producerId} epoch ${h.producerEpoch} is older than ${state.epoch}`,
      };
    }
    if (h.producerEpoch > state.epoch) {
      return h.baseSequence === 0
        ? ok
        : {
            errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
            message: `new epoch ${h.producerEpoch} of producer ${h.producerId} must start at sequence 0, got ${h.baseSequence}`,
          };
    }
    const lastSeq = seqAdd(h.baseSequence, h.lastOffsetDelta);
    for (const b of state.recent) {
      if (b.firstSeq === h.baseSequence && b.lastSeq === lastSeq) return { ...ok, duplicateOf: b.baseOffset };
    }
    const last = state.recent[state.recent.length - 1];
    if (last && h.baseSequence !== seqAdd(last.lastSeq, 1)) {
      return {
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `producer ${h.producerId} sent sequence ${h.baseSequence}, expected ${seqAdd(last.lastSeq, 1)}`,
      };
    }
    return ok;
  }

  /** Transaction and producer state of a batch just written to the log. */
  private trackAppended(h: BatchHeader): void {
    if ((h.attributes & ATTR_TRANSACTIONAL) !== 0) this.txns.onData(h.producerId, h.baseOffset);
    if (h.producerId >= 0)
      this.trackProducer(h.producerId, h.producerEpoch, h.baseSequence, h.lastOffsetDelta, h.baseOffset);
  }

  private trackProducer(
    producerId: number,
    epoch: number,
    baseSequence: number,
    lastOffsetDelta: number,
    baseOffset: number,
  ): void {
    if (producerId < 0) return;
    let state = this.producers.get(producerId);
    if (!state || epoch > state.epoch) {
      state = { epoch, recent: [] };
      this.producers.set(producerId, state);
    }
    state.recent.push({ firstSeq: baseSequence, lastSeq: seqAdd(baseSequence, lastOffsetDelta), baseOffset });
    if (state.recent.length > MAX_RECENT_BATCHES) state.recent.shift();
  }

  /**
   * Reads whole batches starting with the one holding `offset`, up to
   * `maxBytes` (at least one batch when `minOneBatch`, as KIP-74), never past `upTo`.
   */
  read(offset: number, maxBytes: number, upTo = this.highWatermark, minOneBatch = true): ReadResult {
    const empty: ReadResult = { chunks: [], bytes: 0 };
    if (offset >= upTo) return empty;
    let si = this.segmentIndexFor(offset);
    while (si < this.segments.length) {
      const seg = this.segments[si]!;
      let bi = seg.findBatch(offset);
      if (bi < seg.entries.length) {
        const first = seg.entries.get(bi)!;
        if (first.baseOffset >= upTo) return empty;
        if (!minOneBatch && first.size > maxBytes) return empty;
        let bytes = 0;
        const start = first.position;
        while (bi < seg.entries.length) {
          const e = seg.entries.get(bi)!;
          if (e.baseOffset >= upTo) break;
          if (bytes > 0 && bytes + e.size > maxBytes) break;
          bytes += e.size;
          bi++;
        }
        return { chunks: seg.read(start, bytes), bytes };
      }
      si++;
    }
    return empty;
  }

  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Offset of the first record with timestamp >= `timestamp` and that record's
   * timestamp, or offset -1 when none.
   */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } {
    for (const seg of this.segments) {
      for (const e of seg.entries) {
        if (e.maxTimestamp < timestamp || e.lastOffset < this._logStartOffset) continue;
        const buf = Buffer.concat(seg.read(e.position, e.size));
        const records = decodeBatch(buf);
        if (!records)
          return { offset: Math.max(e.baseOffset, this._logStartOffset), timestamp: e.maxTimestamp };
        const baseTs = buf.readInt32BE(27) * 4294967296 + buf.readUInt32BE(31);
        for (const r of records) {
          const off = e.baseOffset + r.offsetDelta;
          const ts = baseTs + r.timestampDelta;
          if (off >= this._logStartOffset && ts >= timestamp) return { offset: off, timestamp: ts };
        }
      }
    }
    return { offset: -1, timestamp: -1 };
  }

  /**
   * The largest record timestamp in the log (from the log start) with the
   * offset of the first record carrying it (ListOffsets MAX_TIMESTAMP, KIP-734),
   * or offset -1 when the log is empty.
   */
  offsetOfMaxTimestamp(): { offset: number; timestamp: number } {
    let max = -1;
    let seen = false;
    for (const seg of this.segments)
      for (const e of seg.entries) {
        if (e.lastOffset < this._logStartOffset) continue;
        seen = true;
        if (e.maxTimestamp > max) max = e.maxTimestamp;
      }
    if (!seen) return { offset: -1, timestamp: -1 };
    return this.offsetForTimestamp(max);
  }

  /** DeleteRecords: moves the log start forward; returns an error code. */
  deleteRecordsBefore(offset: number): { errorCode: number; lowWatermark: number } {
    const target = offset === -1 ? this.highWatermark : offset;
    if (target < 0 || target > this.highWatermark)
      return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1 };
    if (target > this._logStartOffset) {
      this._logStartOffset = target;
      this.txns.dropBelow(target);
      this.persistStartOffset();
      this.dropSegmentsBelowStart();
    }
    return { errorCode: ErrorCode.NONE, lowWatermark: this._logStartOffset };
  }

  private persistStartOffset(): void {
    const file = path.join(this.dir, START_OFFSET_FILE);
    fs.writeFileSync(`${file}.tmp`, String(this._logStartOffset));
    fs.renameSync(`${file}.tmp`, file);
  }

  private dropSegmentsBelowStart(): void {
    while (this.segments.length > 1 && this.segments[1]!.baseOffset <= this._logStartOffset) {
      this.segments.shift()!.delete();
    }
  }

  /** Applies retention.ms and retention.bytes to closed segments; returns segments deleted. */
  applyRetention(now: number): number {
    if (!this.config.deleteRetention) return 0;
    let deleted = 0;
    const { retentionMs, retentionBytes } = this.config;
    let total = this.sizeInBytes;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const expired =
        retentionMs >= 0 && oldest.entries.length > 0 && now - oldest.largestTimestamp > retentionMs;
      const tooBig = retentionBytes >= 0 && total - oldest.size >= retentionBytes;
      if (!expired && !tooBig) break;
      this.segments.shift();
      total -= oldest.size;
      oldest.delete();
      deleted++;
      const nextBase = this.segments[0]!.baseOffset;
      if (nextBase > this._logStartOffset) {
        this._logStartOffset = nextBase;
        this.txns.dropBelow(nextBase);
        this.persistStartOffset();
      }
    }
    return deleted;
  }

  /**
   * Replaces closed segments `[0, count)` with the segment `build` returns;
   * `build` closes and removes the old segments' files itself (the cleaner).
   */
  replaceSegments(count: number, build: (dir: string) => Segment): void {
    const fresh = build(this.dir);
    this.segments.splice(0, count, fresh);
  }

  /**
   * Under an fsync policy, fdatasyncs the active segment `seg` before it rolls if it has appends not
   * yet synced (`dirty` stays set: the next segment's appends follow).
   */
  private syncBeforeRoll(seg: Segment): void {
    if (this.dirty && (this.options.fsyncOnRoll ?? this.options.fsyncAlways)) seg.sync();
  }

  /** fsync when data was appended since the last sync. */
  syncIfDirty(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.active.sync();
  }

  /** Entries of all segments (tests and cleaner). */
  allEntries(): BatchEntry[] {
    return this.segments.flatMap((s) => [...s.entries]);
  }

  close(): void {
    for (const s of this.segments) s.close();
    this.appendListeners.clear();
  }

  /** Closes and removes the partition directory. */
  destroy(): void {
    this.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function seqAdd(seq: number, n: number): number {
  const s = seq + n;
  return s > INT32_MAX ? s - INT32_MAX - 1 : s;
}

export { LOG_OVERHEAD };
