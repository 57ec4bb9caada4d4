/**
 * The transaction log on a full disk: a state change the disk takes only part of is cut back and
 * throws (it was not durable, so the coordinator must not go on as if it were), and the lines before
 * it load whole. The disk refuses for real: the writer runs under `prlimit --fsize`.
 */
import * as fs from 'node:fs';
import { TransactionLog } from '../../src/transaction/transaction-log';
import type { TransactionMetadata } from '../../src/transaction/transaction-state';
import { tempDir } from '../helpers/broker';
import { runUnderFileSizeLimit } from '../support/run-under-file-size-limit';

function meta(transactionalId: string, state: TransactionMetadata['state'], topics = 1): TransactionMetadata {
  return {
    transactionalId,
    producerId: 7,
    producerEpoch: 1,
    timeoutMs: 60000,
    state,
    partitions: Array.from({ length: topics }, (_, i) => ({ topic: `topic-${i}`, partition: 0 })),
    groups: [],
    pendingOffsets: [],
    startTimestamp: 1000,
    lastUpdateTimestamp: 1000,
  };
}

function writeUnderLimit(limit: number, dir: string, metas: TransactionMetadata[]): unknown[] {
  return runUnderFileSizeLimit(limit, 'file-size-limit-txn-log.ts', [
    dir,
    ...metas.map((m) => JSON.stringify(m)),
  ]);
}

describe('transaction log on a full disk', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('ek-txn-log-full-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('cuts a line the disk took only part of back and throws; the earlier lines load whole', () => {
    const first = meta('a', 'Ongoing');
    const firstBytes = Buffer.byteLength(`${JSON.stringify(first)}\n`);
    // Room for the first line and 40 bytes of the second (which is much longer).
    const second = meta('a', 'PrepareCommit', 20);
    expect(writeUnderLimit(firstBytes + 40, dir, [first, second, meta('b', 'Empty')])).toEqual([
      { ok: true },
      { fileSize: firstBytes },
      { error: 'EFBIG' },
      { fileSize: firstBytes },
      { error: 'EFBIG' },
      { fileSize: firstBytes },
    ]);
    const warnings: string[] = [];
    const loaded = new TransactionLog(dir, false, (m) => warnings.push(m)).load();
    expect([...loaded.values()]).toEqual([first]);
    expect(warnings).toEqual([]);
  });

  it('goes on after the disk refused a line: the next line that fits is whole', () => {
    const first = meta('a', 'Ongoing');
    const firstBytes = Buffer.byteLength(`${JSON.stringify(first)}\n`);
    const small = meta('b', 'Empty');
    const smallBytes = Buffer.byteLength(`${JSON.stringify(small)}\n`);
    // The long line does not fit; the small one after it does.
    const limit = firstBytes + smallBytes;
    expect(writeUnderLimit(limit, dir, [first, meta('a', 'PrepareCommit', 20), small])).toEqual([
      { ok: true },
      { fileSize: firstBytes },
      { error: 'EFBIG' },
      { fileSize: firstBytes },
      { ok: true },
      { fileSize: limit },
    ]);
    const warnings: string[] = [];
    const loaded = new TransactionLog(dir, false, (m) => warnings.push(m)).load();
    expect(loaded.get('a')).toEqual(first);
    expect(loaded.get('b')).toEqual(small);
    expect(warnings).toEqual([]);
  });
});
