import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PartitionLog } from '../src/log/partition-log';
import { TopicConfig } from '../src/log/topic-config';
import { buildBatch } from './helpers/record-batch-builder';
import { runUnderFileSizeLimit } from './support/run-under-file-size-limit';

/** A batch of one record with a value of `valueBytes` bytes. */
function batchOf(valueBytes: number, key: string): Buffer {
  return buildBatch({ records: [{ key, value: key.repeat(valueBytes) }] });
}

/** Runs the appends of `records` (one Produce each) to `partDir` in a child limited to files of `limit` bytes. */
function appendUnderLimit(
  limit: number,
  partDir: string,
  records: Buffer[],
  env: Record<string, string> = {},
): Array<Record<string, unknown>> {
  return runUnderFileSizeLimit(
    limit,
    'file-size-limit-append.ts',
    [partDir, ...records.map((r) => r.toString('hex'))],
    env,
  );
}

/**
 * A log write the disk refuses part-way (ENOSPC, here EFBIG past a file-size limit: the same short
 * write, then the error) leaves nothing behind: the segment file is cut back to what the log holds,
 * so the next append lands where the index says it is and a restart reads every batch back intact.
 */
describe('a log write refused part-way', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-failure-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('cuts the torn bytes off, so later appends and a restart see exactly the batches acknowledged', () => {
    const a = batchOf(1000, 'a');
    const b = batchOf(3000, 'b');
    const c = batchOf(500, 'c');
    const limit = a.length + 1500; // b is cut off half-way; after a, c fits
    const partDir = path.join(dir, 't-0');
    const lines = appendUnderLimit(limit, partDir, [a, b, c]);
    expect(lines).toEqual([
      { errorCode: 0, baseOffset: 0 },
      { fileSize: a.length, size: a.length },
      { error: 'EFBIG' },
      { fileSize: a.length, size: a.length },
      { errorCode: 0, baseOffset: 1 },
      { fileSize: a.length + c.length, size: a.length + c.length },
    ]);
    // A restart finds a and c, nothing torn, and reads them back byte for byte.
    const messages: string[] = [];
    const log = PartitionLog.open(
      't',
      0,
      partDir,
      TopicConfig.resolve({}, {}),
      { fsyncAlways: false, cacheBytes: 0 },
      (m) => messages.push(m),
    );
    expect(messages).toEqual([]);
    expect(log.allEntries().map((e) => [e.baseOffset, e.size])).toEqual([
      [0, a.length],
      [1, c.length],
    ]);
    const read = Buffer.concat(log.read(0, 1 << 20).chunks);
    expect(read.subarray(0, a.length).subarray(8).equals(a.subarray(8))).toBe(true);
    expect(read.subarray(a.length).subarray(8).equals(c.subarray(8))).toBe(true);
    log.close();
  });
  it("a Produce whose later batch fails after a roll keeps the earlier batch's producer state: its retry is a duplicate", () => {
    const idem = (seq: number, valueBytes: number, key: string) =>
      buildBatch({
        records: [{ key, value: key.repeat(valueBytes) }],
        producerId: 7,
        producerEpoch: 0,
        baseSequence: seq,
      });
    const first = idem(0, 1000, 'a');
    const second = idem(1, 3000, 'b'); // too large for a file under the limit: refused
    const partDir = path.join(dir, 't-0');
    // One Produce of both; segments of 1500 bytes, so the second batch rolls to a new segment.
    const lines = appendUnderLimit(2000, partDir, [Buffer.concat([first, second]), first], {
      SEGMENT_BYTES: '1500',
    });
    expect(lines[0]).toEqual({ error: 'EFBIG' });
    // The first batch is in the log (offset 0); the producer resending it is told so, not appended twice.
    expect(lines[2]).toEqual({ errorCode: 0, baseOffset: 0 });
    const log = PartitionLog.open('t', 0, partDir, TopicConfig.resolve({}, { 'segment.bytes': '1500' }), {
      fsyncAlways: false,
      cacheBytes: 0,
    });
    expect(log.allEntries().map((e) => [e.baseOffset, e.producerId, e.baseSequence])).toEqual([[0, 7, 0]]);
    log.close();
  });
});
