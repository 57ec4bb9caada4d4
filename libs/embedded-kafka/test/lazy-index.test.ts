import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBatchHeader, writeInt64 } from '../src/log/record-batch';
import {
  INDEX_ENTRY_SIZE,
  INDEX_FLUSH_BATCHES,
  INDEX_FLUSH_BYTES,
  Segment,
  type BatchEntry,
} from '../src/log/segment';
import { PartitionLog } from '../src/log/partition-log';
import { TopicConfig } from '../src/log/topic-config';
import { buildBatch } from './helpers/record-batch-builder';

function indexEntriesOnDisk(seg: Segment): number {
  return fs.statSync(seg.indexPath).size / INDEX_ENTRY_SIZE;
}

/** Appends one batch of `records` records (values of `valueBytes`) at the segment's end. */
function appendBatch(seg: Segment, records: number, valueBytes = 20, producerId = -1, seq = -1): void {
  const batch = buildBatch({
    records: Array.from({ length: records }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(valueBytes) })),
    producerId,
    producerEpoch: producerId >= 0 ? 0 : -1,
    baseSequence: seq,
  });
  writeInt64(batch, 0, seg.nextOffset);
  seg.append(batch, [{ ...readBatchHeader(batch, 0), position: 0 }]);
}

describe('batch index written lazily', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-index-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the index in groups, a prefix of the batches, and all of it on sync and close', () => {
    const seg = Segment.create(dir, 0, 0);
    const n = INDEX_FLUSH_BATCHES * 2 + 37;
    for (let i = 0; i < n; i++) {
      appendBatch(seg, 1 + (i % 3));
      const onDisk = indexEntriesOnDisk(seg);
      // Always a whole number of groups behind the log, never ahead of it.
      expect(onDisk).toBe(Math.floor((i + 1) / INDEX_FLUSH_BATCHES) * INDEX_FLUSH_BATCHES);
      expect(seg.unindexedBatches).toBe(i + 1 - onDisk);
    }
    seg.sync();
    expect(indexEntriesOnDisk(seg)).toBe(n);
    appendBatch(seg, 2);
    expect(indexEntriesOnDisk(seg)).toBe(n);
    seg.close();
    expect(indexEntriesOnDisk(seg)).toBe(n + 1);
    // The index on disk is exactly what a full scan of the log gives.
    const written = fs.readFileSync(seg.indexPath);
    fs.rmSync(seg.indexPath);
    const scanned = Segment.load(dir, 0, 0).segment;
    scanned.close();
    expect(fs.readFileSync(scanned.indexPath).equals(written)).toBe(true);
  });

  it('writes the index once INDEX_FLUSH_BYTES of log are unindexed, however few batches', () => {
    const seg = Segment.create(dir, 0, 0);
    const valueBytes = 64 * 1024;
    let appended = 0;
    while (seg.size < INDEX_FLUSH_BYTES) {
      expect(indexEntriesOnDisk(seg)).toBe(0);
      appendBatch(seg, 4, valueBytes);
      appended++;
    }
    expect(appended).toBeLessThan(INDEX_FLUSH_BATCHES);
    expect(indexEntriesOnDisk(seg)).toBe(appended);
    seg.close();
  });

  it('recovers every batch after a kill (the log written, the index behind) and a torn tail, exactly as a full scan', () => {
    const config = TopicConfig.resolve({}, {});
    const options = { fsyncAlways: false, cacheBytes: 1024 * 1024 };
    const partDir = path.join(dir, 't-0');
    const log = PartitionLog.open('t', 0, partDir, config, options);
    const producerId = 42;
    let seq = 0;
    const sent: Buffer[] = [];
    const total = INDEX_FLUSH_BATCHES + 100;
    for (let i = 0; i < total; i++) {
      const records = 1 + (i % 4);
      const batch = buildBatch({
        records: Array.from({ length: records }, (_, r) => ({ key: `k${i}-${r}`, value: `v${i}-${r}` })),
        producerId,
        producerEpoch: 0,
        baseSequence: seq,
      });
      seq += records;
      expect(log.append(Buffer.from(batch), Date.now()).errorCode).toBe(0);
      sent.push(batch);
    }
    const before: BatchEntry[] = log.allEntries();
    const active = log.segmentList()[0]!;
    expect(indexEntriesOnDisk(active)).toBe(INDEX_FLUSH_BATCHES);
    // kill -9: nothing is closed or flushed; then a torn write at the tail.
    const logPath = active.logPath;
    const size = fs.statSync(logPath).size;
    fs.appendFileSync(logPath, sent[0]!.subarray(0, 70));
    const messages: string[] = [];
    const reopened = PartitionLog.open('t', 0, partDir, config, options, (m) => messages.push(m));
    expect(messages.join('\n')).toMatch(/truncated 70 bytes/);
    expect(fs.statSync(logPath).size).toBe(size);
    expect(reopened.allEntries()).toEqual(before);
    expect(indexEntriesOnDisk(reopened.segmentList()[0]!)).toBe(total);
    // Producer state came back with it: a retried last batch is a duplicate, the next sequence is accepted.
    const last = sent[sent.length - 1]!;
    const dup = reopened.append(Buffer.from(last), Date.now());
    expect(dup).toMatchObject({ errorCode: 0, baseOffset: before[before.length - 1]!.baseOffset });
    const next = buildBatch({
      records: [{ key: 'n', value: 'n' }],
      producerId,
      producerEpoch: 0,
      baseSequence: seq,
    });
    expect(reopened.append(next, Date.now())).toMatchObject({
      errorCode: 0,
      baseOffset: before[before.length - 1]!.lastOffset + 1,
    });
    // Reads give back the bytes the log file holds.
    const file = fs.readFileSync(logPath);
    const read = reopened.read(0, file.length * 2);
    expect(Buffer.concat(read.chunks).equals(file)).toBe(true);
    reopened.close();
    // The killed log's descriptors (its pending index entries are written to the old file, ignored).
    log.close();
  });
});
