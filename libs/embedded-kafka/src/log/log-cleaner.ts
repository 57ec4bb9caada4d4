import * as fs from 'node:fs';
import * as path from 'node:path';
import { Encoder } from '../protocol/encoder';
import { CODEC_NONE, compress } from './compression';
import type { PartitionLog } from './partition-log';
import {
  ATTR_COMPRESSION_MASK,
  ATTR_CONTROL,
  BATCH_HEADER_SIZE,
  OFFSET_ATTRIBUTES,
  OFFSET_CRC,
  computeBatchCrc,
  decodeBatch,
  type DecodedRecord,
} from './record-batch';
import { Segment, segmentStem } from './segment';
import type { TopicConfig } from './topic-config';

/** What one compaction pass did. */
export interface CleanResult {
  readonly segmentsCleaned: number;
  readonly recordsRemoved: number;
}

interface BatchView {
  readonly buf: Buffer;
  readonly baseOffset: number;
  readonly maxTimestamp: number;
  /** Records, or null when the batch cannot be decoded (kept whole). */
  readonly records: DecodedRecord[] | null;
  /** A transaction marker: kept as it is, never keyed. */
  readonly control: boolean;
  /** Data of an aborted transaction: dropped, never keyed. */
  readonly aborted: boolean;
}

/**
 * Compacts the closed segments of a compacted topic's partition: keeps only
 * the latest record per key (over the whole log, active segment included),
 * drops tombstones older than `delete.retention.ms`, and leaves segments newer
 * than `min.compaction.lag.ms` alone. Offsets are kept; a batch that loses
 * records is rewritten in its own codec (as Kafka's cleaner does). A batch that
 * cannot be decompressed is kept as it is. Transactions (KIP-98): only segments
 * below the last stable offset are cleaned, batches of aborted transactions are
 * removed, and transaction markers are kept as they are.
 */
export function compactPartition(log: PartitionLog, config: TopicConfig, now: number): CleanResult {
  const segments = log.segmentList();
  if (segments.length < 2) return { segmentsCleaned: 0, recordsRemoved: 0 };
  // Closed segments old enough for min.compaction.lag.ms, from the start. The
  // segment holding the log's last batch is never cleaned (if the active one is
  // empty, the one before it), so the log always ends with its real last record:
  // clients such as kafkajs cannot step over an empty tail.
  const limit = segments[segments.length - 1]!.entries.length > 0 ? segments.length - 1 : segments.length - 2;
  let count = 0;
  // Only segments wholly below the last stable offset: open transactions are left alone.
  const stable = log.lastStableOffset;
  while (
    count < limit &&
    segments[count]!.largestTimestamp <= now - config.minCompactionLagMs &&
    segments[count]!.nextOffset <= stable
  )
    count++;
  if (count === 0) return { segmentsCleaned: 0, recordsRemoved: 0 };
  // 1. Latest offset per key over the whole log.
  const latest = new Map<string, number>();
  const views: BatchView[][] = [];
  for (let si = 0; si < segments.length; si++) {
    const seg = segments[si]!;
    const segViews: BatchView[] = [];
    const data = Buffer.concat(seg.read(0, seg.size));
    for (const e of seg.entries) {
      const buf = data.subarray(e.position, e.position + e.size);
      const control = (e.attributes & ATTR_CONTROL) !== 0;
      const aborted = !control && e.producerId >= 0 && log.isAborted(e.producerId, e.baseOffset);
      if (control || aborted) {
        segViews.push({
          buf,
          baseOffset: e.baseOffset,
          maxTimestamp: e.maxTimestamp,
          records: null,
          control,
          aborted,
        });
        continue;
      }
      const records = decodeBatch(buf);
      if (records) {
        for (const r of records)
          if (r.key) latest.set(r.key.toString('latin1'), e.baseOffset + r.offsetDelta);
      }
      segViews.push({
        buf,
        baseOffset: e.baseOffset,
        maxTimestamp: e.maxTimestamp,
        records,
        control,
        aborted,
      });
    }
    views.push(segViews);
  }
  // 2. Rewrite the cleanable segments into one.
  const out: Buffer[] = [];
  let removed = 0;
  for (let si = 0; si < count; si++) {
    for (const v of views[si]!) {
      if (v.aborted) {
        removed++;
        continue;
      }
      if (!v.records) {
        out.push(v.buf);
        continue;
      }
      const tombstonesExpired = now - v.maxTimestamp > config.deleteRetentionMs;
      const kept = v.records.filter((r) => {
        if (!r.key) return true;
        if (latest.get(r.key.toString('latin1')) !== v.baseOffset + r.offsetDelta) return false;
        return !(r.value === null && tombstonesExpired);
      });
      removed += v.records.length - kept.length;
      if (kept.length === v.records.length) {
        out.push(v.buf);
      } else if (kept.length > 0) {
        out.push(rebuildBatch(v.buf, kept));
      }
    }
  }
  const base = segments[0]!.baseOffset;
  log.replaceSegments(count, (dir) => {
    const stem = segmentStem(base);
    const logPath = path.join(dir, `${stem}.log`);
    const cleaned = `${logPath}.cleaned`;
    const fd = fs.openSync(cleaned, 'w');
    for (const b of out) fs.writeSync(fd, b);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    for (const s of segments.slice(0, count)) s.close();
    // Crash-safe order: drop the first segment's index, swap the log in, then
    // delete the superseded segments (a restart drops overlapping segments).
    fs.rmSync(path.join(dir, `${stem}.index`), { force: true });
    fs.renameSync(cleaned, logPath);
    for (const s of segments.slice(1, count)) {
      fs.rmSync(s.logPath, { force: true });
      fs.rmSync(s.indexPath, { force: true });
    }
    return Segment.load(dir, base, 0).segment;
  });
  return { segmentsCleaned: count, recordsRemoved: removed };
}

/** Builds a batch with the original header fields, codec and only `kept` records. */
function rebuildBatch(original: Buffer, kept: readonly DecodedRecord[]): Buffer {
  const codec = original.readInt16BE(OFFSET_ATTRIBUTES) & ATTR_COMPRESSION_MASK;
  const e = new Encoder(original.length + 64);
  for (const r of kept) {
    const body = new Encoder(64);
    body.writeInt8(r.attributes).writeVarLong(r.timestampDelta).writeVarInt(r.offsetDelta);
    body.writeVarIntBytes(r.key).writeVarIntBytes(r.value).writeVarInt(r.headers.length);
    for (const h of r.headers) body.writeVarIntBytes(Buffer.from(h.key, 'utf8')).writeVarIntBytes(h.value);
    const bytes = body.toBuffer();
    e.writeVarInt(bytes.length).writeRaw(bytes);
  }
  const plain = e.toBuffer();
  const batch = Buffer.concat([
    original.subarray(0, BATCH_HEADER_SIZE),
    codec === CODEC_NONE ? plain : compress(codec, plain),
  ]);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeInt32BE(kept.length, 57);
  batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), OFFSET_CRC);
  return batch;
}
