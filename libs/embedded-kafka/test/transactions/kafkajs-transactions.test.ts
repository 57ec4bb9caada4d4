/**
 * Transactions (KIP-98) over TCP with kafkajs' transactional producer against
 * the embedded broker: commit, abort, sendOffsets, read_committed and
 * read_uncommitted consumers, zombie fencing, transaction timeouts, the
 * last stable offset, and DescribeTransactions / ListTransactions.
 */
import type { Kafka, Producer } from 'kafkajs';
import { EmbeddedKafka } from '../../src';
import { kafkaFor, tempDir } from '../helpers/broker';
import { describeTransactions, listTransactions, readAll, waitFor } from './txn-support';

jest.setTimeout(60000);

let broker: EmbeddedKafka;
let kafka: Kafka;
const producers: Producer[] = [];

beforeAll(async () => {
  broker = await EmbeddedKafka.start({
    port: 0,
    dataDir: tempDir('ek-txn-'),
    groupInitialRebalanceDelayMs: 0,
    transactionAbortTimedOutIntervalMs: 100,
  });
  kafka = kafkaFor(broker.bootstrapServers, 'txn-test');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['commit', 'abort', 'mixed', 'offsets-in', 'zombie', 'timeout', 'lso'].map((topic) => ({
      topic,
      numPartitions: 2,
    })),
  });
  await admin.disconnect();
});

afterAll(async () => {
  for (const p of producers) await p.disconnect().catch(() => {});
  await broker.stop();
});

function txProducer(transactionalId: string, transactionTimeout = 60000): Producer {
  const p = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout });
  producers.push(p);
  return p;
}

const messages = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `${prefix}-${i}` }));

describe('kafkajs transactional producer', () => {
  it('commits: read_committed and read_uncommitted consumers both see every record, once', async () => {
    const p = txProducer('tx-commit');
    await p.connect();
    const tx = await p.transaction();
    await tx.send({ topic: 'commit', messages: messages('c', 10) });
    await tx.commit();
    const committed = await readAll(kafka, 'commit', {
      readUncommitted: false,
      until: (v) => v.length >= 10,
    });
    const uncommitted = await readAll(kafka, 'commit', {
      readUncommitted: true,
      until: (v) => v.length >= 10,
    });
    expect(committed.sort()).toEqual(
      messages('c', 10)
        .map((m) => m.value)
        .sort(),
    );
    expect(uncommitted.sort()).toEqual(committed);
    expect((await describeTransactions(broker.bootstrapServers, ['tx-commit']))[0]).toMatchObject({
      errorCode: 0,
      state: 'CompleteCommit',
    });
  });

  it('aborts: read_committed skips the aborted records, read_uncommitted sees them', async () => {
    const p = txProducer('tx-abort');
    await p.connect();
    const aborted = await p.transaction();
    await aborted.send({ topic: 'abort', messages: messages('aborted', 6) });
    await aborted.abort();
    const ok = await p.transaction();
    await ok.send({ topic: 'abort', messages: messages('ok', 4) });
    await ok.commit();
    const committed = await readAll(kafka, 'abort', {
      readUncommitted: false,
      until: (v) => v.filter((x) => x.startsWith('ok')).length >= 4,
    });
    expect(committed.sort()).toEqual(
      messages('ok', 4)
        .map((m) => m.value)
        .sort(),
    );
    const uncommitted = await readAll(kafka, 'abort', {
      readUncommitted: true,
      until: (v) => v.length >= 10,
    });
    expect(uncommitted.filter((v) => v.startsWith('aborted')).sort()).toEqual(
      messages('aborted', 6)
        .map((m) => m.value)
        .sort(),
    );
  });

  it('an open transaction holds back the last stable offset, also over records written after it', async () => {
    const p = txProducer('tx-lso');
    await p.connect();
    const plain = kafka.producer();
    await plain.connect();
    const tx = await p.transaction();
    await tx.send({ topic: 'lso', messages: [{ key: 'x', value: 'txn', partition: 0 }] });
    await plain.send({ topic: 'lso', messages: [{ key: 'y', value: 'plain', partition: 0 }] });
    const log = broker.logManager.partition('lso', 0)!;
    expect(log.highWatermark).toBe(2);
    expect(log.lastStableOffset).toBe(0);
    // read_uncommitted sees both at once; read_committed sees nothing until the commit.
    expect(
      (await readAll(kafka, 'lso', { readUncommitted: true, until: (v) => v.length >= 2 })).sort(),
    ).toEqual(['plain', 'txn']);
    await tx.commit();
    expect(log.lastStableOffset).toBe(log.highWatermark);
    expect(
      (await readAll(kafka, 'lso', { readUncommitted: false, until: (v) => v.length >= 2 })).sort(),
    ).toEqual(['plain', 'txn']);
    await plain.disconnect();
  });

  it('sendOffsets: the group offsets become visible only when the transaction commits', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const p = txProducer('tx-offsets');
    await p.connect();
    const tx = await p.transaction();
    await tx.send({ topic: 'mixed', messages: messages('m', 3) });
    await tx.sendOffsets({
      consumerGroupId: 'eos-group',
      topics: [
        {
          topic: 'offsets-in',
          partitions: [
            { partition: 0, offset: '42' },
            { partition: 1, offset: '7' },
          ],
        },
      ],
    });
    const before = await admin.fetchOffsets({ groupId: 'eos-group', topics: ['offsets-in'] });
    expect(before[0]!.partitions.map((x) => x.offset)).toEqual(['-1', '-1']);
    await tx.commit();
    const after = await admin.fetchOffsets({ groupId: 'eos-group', topics: ['offsets-in'] });
    expect(after[0]!.partitions.sort((a, b) => a.partition - b.partition).map((x) => x.offset)).toEqual([
      '42',
      '7',
    ]);
    // An aborted sendOffsets leaves them unchanged.
    const tx2 = await p.transaction();
    await tx2.sendOffsets({
      consumerGroupId: 'eos-group',
      topics: [{ topic: 'offsets-in', partitions: [{ partition: 0, offset: '99' }] }],
    });
    await tx2.abort();
    const again = await admin.fetchOffsets({ groupId: 'eos-group', topics: ['offsets-in'] });
    expect(again[0]!.partitions.find((x) => x.partition === 0)!.offset).toBe('42');
    await admin.disconnect();
  });

  it('fences a zombie: a new producer with the same transactional id aborts its open transaction and its writes fail', async () => {
    const zombie = txProducer('tx-zombie');
    await zombie.connect();
    const ztx = await zombie.transaction();
    await ztx.send({ topic: 'zombie', messages: messages('zombie', 5) });
    const fresh = txProducer('tx-zombie');
    await fresh.connect();
    // kafkajs calls InitProducerId for the transactional id on its first transaction().
    const ftx = await fresh.transaction();
    const [desc] = await describeTransactions(broker.bootstrapServers, ['tx-zombie']);
    expect(desc!.state).toBe('CompleteAbort');
    expect(desc!.epoch).toBeGreaterThanOrEqual(1);
    // The zombie can neither write nor commit.
    await expect(ztx.send({ topic: 'zombie', messages: messages('zombie-late', 1) })).rejects.toThrow(
      /epoch|fenced|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/i,
    );
    await expect(ztx.commit()).rejects.toThrow();
    await ftx.send({ topic: 'zombie', messages: messages('fresh', 3) });
    await ftx.commit();
    const committed = await readAll(kafka, 'zombie', {
      readUncommitted: false,
      until: (v) => v.length >= 3,
    });
    expect(committed.sort()).toEqual(
      messages('fresh', 3)
        .map((m) => m.value)
        .sort(),
    );
  });

  it('aborts a transaction left open past its timeout and fences its producer', async () => {
    const p = txProducer('tx-timeout', 500);
    await p.connect();
    const tx = await p.transaction();
    await tx.send({ topic: 'timeout', messages: messages('abandoned', 4) });
    expect((await listTransactions(broker.bootstrapServers, ['Ongoing'])).txns.map((t) => t.id)).toContain(
      'tx-timeout',
    );
    await waitFor(
      async () =>
        (await describeTransactions(broker.bootstrapServers, ['tx-timeout']))[0]!.state === 'CompleteAbort',
      'the timed-out transaction to be aborted',
    );
    expect(broker.logManager.partition('timeout', 0)!.lastStableOffset).toBe(
      broker.logManager.partition('timeout', 0)!.highWatermark,
    );
    await expect(tx.commit()).rejects.toThrow();
    const other = txProducer('tx-timeout-2');
    await other.connect();
    const otx = await other.transaction();
    await otx.send({ topic: 'timeout', messages: messages('later', 2) });
    await otx.commit();
    const committed = await readAll(kafka, 'timeout', {
      readUncommitted: false,
      until: (v) => v.length >= 2,
    });
    expect(committed.sort()).toEqual(['later-0', 'later-1']);
  });

  it('ListTransactions filters by state and reports unknown state filters; DescribeTransactions an unknown id', async () => {
    const all = await listTransactions(broker.bootstrapServers, ['CompleteCommit', 'Bogus']);
    expect(all.errorCode).toBe(0);
    expect(all.unknown).toEqual(['Bogus']);
    expect(all.txns.map((t) => t.id)).toContain('tx-commit');
    expect(all.txns.every((t) => t.state === 'CompleteCommit')).toBe(true);
    const [missing] = await describeTransactions(broker.bootstrapServers, ['no-such-id']);
    expect(missing!.errorCode).toBe(105);
  });
});
