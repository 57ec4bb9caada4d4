/**
 * Transaction markers the disk refuses are written again until they fit, as Kafka's
 * `TransactionMarkerChannelManager` retries marker writes: the transaction completes once space
 * returns, without a broker restart, so read_committed readers go on. The disk refuses for real: the
 * broker runs as a child process and gets a file-size limit (`prlimit --fsize`, writes past it fail
 * with EFBIG as a full disk fails them with ENOSPC).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { ErrorCode } from '../../src/protocol/error-codes';
import { kafkaFor, tempDir } from '../helpers/broker';
import { RawClient } from '../helpers/raw-client';
import { exited, startCliBroker, type CliBroker } from '../helpers/cli-broker';
import { describeTransactions, readAll, waitFor } from './txn-support';

jest.setTimeout(120000);

/** InitProducerId v0 for a transactional id over a raw connection: error code and epoch. */
async function initProducerId(bootstrap: string, transactionalId: string): Promise<[number, number]> {
  const client = await RawClient.connect(bootstrap);
  try {
    const d = await client.request(22, 0, (e) => e.writeNullableString(transactionalId).writeInt32(60000));
    d.readInt32(); // throttle
    const errorCode = d.readInt16();
    d.readInt64(); // producer id
    return [errorCode, d.readInt16()];
  } finally {
    client.close();
  }
}

describe('transaction markers on a full disk', () => {
  let broker: CliBroker | undefined;
  let dataDir: string;

  afterEach(async () => {
    if (broker && broker.process.exitCode === null && broker.process.signalCode === null) {
      broker.process.kill('SIGKILL');
      await exited(broker.process);
    }
    broker = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('are retried until space returns; the commit then completes and read_committed readers see it', async () => {
    dataDir = tempDir('ek-marker-retry-');
    broker = await startCliBroker(['--port', '0', '--data-dir', dataDir]);
    const pid = String(broker.process.pid);
    const kafka = kafkaFor(broker.bootstrap, 'marker-retry');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'big', numPartitions: 1 }] });
    const producer = kafka.producer({ transactionalId: 'tx-big', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const large = 'x'.repeat(100 * 1024);
      const t1 = await producer.transaction();
      await t1.send({ topic: 'big', messages: [{ value: large }] });
      // The partition's segment is past 64 KiB: its commit marker cannot be written from now on
      // (the transaction log, much smaller, still takes PrepareCommit).
      execFileSync('prlimit', ['--pid', pid, '--fsize=65536:unlimited']);
      // As Kafka: EndTxn is answered once PrepareCommit is logged; the markers follow.
      await t1.commit();
      await new Promise((r) => setTimeout(r, 500));
      expect((await describeTransactions(broker.bootstrap, ['tx-big']))[0]!.state).toBe('PrepareCommit');
      expect(broker.stderr()).toMatch(/tx-big: completing the commit failed .*retrying in \d+ ms/);
      // Nothing is readable committed yet: the transaction holds the last stable offset back (kafkajs
      // answers the last stable offset by default).
      expect(await admin.fetchTopicOffsets('big')).toEqual([
        expect.objectContaining({ partition: 0, high: '0' }),
      ]);

      // Space returns: the next attempt writes the marker and completes the transaction.
      execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:unlimited']);
      await waitFor(
        async () =>
          (await describeTransactions(broker!.bootstrap, ['tx-big']))[0]!.state === 'CompleteCommit',
        'the commit to complete',
        10000,
      );
      const committed = await readAll(kafka, 'big', { readUncommitted: false, until: (v) => v.length >= 1 });
      expect(committed).toEqual([large]);
      // One record and exactly one marker (the high watermark: READ_UNCOMMITTED).
      expect(await admin.fetchTopicOffsets('big', { isolationLevel: 0 } as never)).toEqual([
        expect.objectContaining({ partition: 0, high: '2' }),
      ]);

      // The producer goes on with its next transaction.
      const t2 = await producer.transaction();
      await t2.send({ topic: 'big', messages: [{ value: 'after' }] });
      await t2.commit();
      expect(await admin.fetchTopicOffsets('big', { isolationLevel: 0 } as never)).toEqual([
        expect.objectContaining({ partition: 0, high: '4' }),
      ]);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('are retried for the abort of a fenced producer; its new incarnation waits with CONCURRENT_TRANSACTIONS', async () => {
    dataDir = tempDir('ek-marker-retry-');
    broker = await startCliBroker(['--port', '0', '--data-dir', dataDir]);
    const pid = String(broker.process.pid);
    const kafka = kafkaFor(broker.bootstrap, 'marker-retry-abort');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'big', numPartitions: 1 }] });
    const producer = kafka.producer({
      transactionalId: 'tx-fenced',
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const t1 = await producer.transaction();
      await t1.send({ topic: 'big', messages: [{ value: 'y'.repeat(100 * 1024) }] });
      const epoch = (await describeTransactions(broker.bootstrap, ['tx-fenced']))[0]!.epoch;
      execFileSync('prlimit', ['--pid', pid, '--fsize=65536:unlimited']);
      // A new incarnation fences the open transaction: its abort marker cannot be written yet.
      expect(await initProducerId(broker.bootstrap, 'tx-fenced')).toEqual([
        ErrorCode.CONCURRENT_TRANSACTIONS,
        -1,
      ]);
      await new Promise((r) => setTimeout(r, 300));
      expect(await initProducerId(broker.bootstrap, 'tx-fenced')).toEqual([
        ErrorCode.CONCURRENT_TRANSACTIONS,
        -1,
      ]);
      expect((await describeTransactions(broker.bootstrap, ['tx-fenced']))[0]!.state).toBe('PrepareAbort');

      execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:unlimited']);
      await waitFor(
        async () =>
          (await describeTransactions(broker!.bootstrap, ['tx-fenced']))[0]!.state === 'CompleteAbort',
        'the abort to complete',
        10000,
      );
      // The next InitProducerId is taken: the epoch bumped for the abort, then again for this one.
      expect(await initProducerId(broker.bootstrap, 'tx-fenced')).toEqual([ErrorCode.NONE, epoch + 2]);
      // The aborted record and one abort marker; the last stable offset is past both.
      expect(await admin.fetchTopicOffsets('big', { isolationLevel: 0 } as never)).toEqual([
        expect.objectContaining({ partition: 0, high: '2' }),
      ]);
      expect(await admin.fetchTopicOffsets('big')).toEqual([
        expect.objectContaining({ partition: 0, high: '2' }),
      ]);
    } finally {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect();
    }
  });
});
