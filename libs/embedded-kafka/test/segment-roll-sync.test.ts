import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PartitionLog } from '../src/log/partition-log';
import { Segment } from '../src/log/segment';
import { TopicConfig } from '../src/log/topic-config';
import { buildBatch } from './helpers/record-batch-builder';

/** A batch of one record with a value of `valueBytes` bytes. */
function batchOf(valueBytes: number, key: string): Buffer {
  return buildBatch({ records: [{ key, value: 'v'.repeat(valueBytes) }] });
}

/**
 * An fsync policy must cover every segment an append wrote to, not only the active one after it: a
 * segment that rolls with appends not yet fdatasynced is fdatasynced as it rolls (Kafka flushes a
 * rolled segment too), or an OS crash loses acknowledged records in it.
 */
describe('segment roll under an fsync policy', () => {
  let dir: string;
  /** Log files of the segments fdatasynced (`Segment.sync`: log and index), in order. */
  let synced: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roll-sync-'));
    synced = [];
    const real = Segment.prototype.sync;
    spy = jest.spyOn(Segment.prototype, 'sync').mockImplementation(function (this: Segment) {
      synced.push(this.logPath);
      real.call(this);
    });
  });
  afterEach(() => {
    spy.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const config = TopicConfig.resolve({}, { 'segment.bytes': '3000' });
  const logsOf = (log: PartitionLog) => log.segmentList().map((s) => s.logPath);

  it("fsync 'always': a Produce whose batches span a roll fdatasyncs the rolled segment before acking", () => {
    const log = PartitionLog.open('t', 0, path.join(dir, 't-0'), config, {
      fsyncAlways: true,
      fsyncOnRoll: true,
      cacheBytes: 0,
    });
    // Two batches in one record set: the second does not fit the first segment, which rolls.
    const records = Buffer.concat([batchOf(2000, 'a'), batchOf(2000, 'b')]);
    expect(log.append(records, Date.now()).errorCode).toBe(0);
    const [first, second] = logsOf(log);
    expect(second).toBeDefined();
    expect(synced).toContain(first);
    expect(synced).toContain(second);
    log.close();
  });

  it('fsync on an interval: a segment that rolls between two syncs is fdatasynced as it rolls', () => {
    const log = PartitionLog.open('t', 0, path.join(dir, 't-0'), config, {
      fsyncAlways: false,
      fsyncOnRoll: true,
      cacheBytes: 0,
    });
    expect(log.append(batchOf(2000, 'a'), Date.now()).errorCode).toBe(0);
    expect(log.append(batchOf(2000, 'b'), Date.now()).errorCode).toBe(0);
    const [first, second] = logsOf(log);
    expect(second).toBeDefined();
    expect(synced).toEqual([first]);
    log.syncIfDirty(); // the interval's sync: the active segment
    expect(synced.filter((p) => p === second)).toHaveLength(1);
    log.close();
  });

  it("fsync 'never': a roll does not fdatasync", () => {
    const log = PartitionLog.open('t', 0, path.join(dir, 't-0'), config, {
      fsyncAlways: false,
      cacheBytes: 0,
    });
    expect(log.append(Buffer.concat([batchOf(2000, 'a'), batchOf(2000, 'b')]), Date.now()).errorCode).toBe(0);
    expect(log.segmentList()).toHaveLength(2);
    expect(synced).toEqual([]);
    log.close();
  });
});
