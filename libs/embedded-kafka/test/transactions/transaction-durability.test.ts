/**
 * Transaction state across `kill -9` of the broker process (CLI child): a
 * committed transaction stays committed, a transaction open at the crash stays
 * open (the last stable offset still holds read_committed readers back) until
 * the producer's next incarnation aborts it; epochs keep fencing.
 */
import type { Producer } from 'kafkajs';
import { kafkaFor, tempDir } from '../helpers/broker';
import { exited, startCliBroker, type CliBroker } from '../helpers/cli-broker';
import { describeTransactions, readAll } from './txn-support';

jest.setTimeout(120000);

describe('transactions across a broker kill -9', () => {
  let running: CliBroker | undefined;

  afterEach(async () => {
    if (running && running.process.exitCode === null && running.process.signalCode === null) {
      running.process.kill('SIGKILL');
      await exited(running.process);
    }
  });

  it('keeps committed transactions, keeps an open one open until the next incarnation aborts it', async () => {
    const dataDir = tempDir('ek-txn-kill-');
    running = await startCliBroker(['--port', '0', '--data-dir', dataDir, '--quiet']);
    let kafka = kafkaFor(running.bootstrap, 'txn-kill');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 1 }] });
    await admin.disconnect();
    const tx = (id: string): Producer =>
      kafka.producer({ transactionalId: id, idempotent: true, maxInFlightRequests: 1 });

    const done = tx('tx-done');
    await done.connect();
    const t1 = await done.transaction();
    await t1.send({ topic: 'durable', messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
    await t1.commit();
    const open = tx('tx-open');
    await open.connect();
    const t2 = await open.transaction();
    await t2.send({ topic: 'durable', messages: [{ value: 'open-1' }] });
    const before = await describeTransactions(running.bootstrap, ['tx-open']);
    expect(before[0]!.state).toBe('Ongoing');

    running.process.kill('SIGKILL');
    expect((await exited(running.process)).signal).toBe('SIGKILL');
    await done.disconnect().catch(() => {});
    await open.disconnect().catch(() => {});

    running = await startCliBroker(['--port', '0', '--data-dir', dataDir, '--quiet']);
    kafka = kafkaFor(running.bootstrap, 'txn-kill-2');
    const after = await describeTransactions(running.bootstrap, ['tx-done', 'tx-open']);
    expect(after.map((t) => [t.id, t.state])).toEqual([
      ['tx-done', 'CompleteCommit'],
      ['tx-open', 'Ongoing'],
    ]);
    expect(after[1]).toMatchObject({
      producerId: before[0]!.producerId,
      epoch: before[0]!.epoch,
      topics: { durable: [0] },
    });

    // read_uncommitted sees the open record; read_committed only what was committed before it.
    expect(
      (await readAll(kafka, 'durable', { readUncommitted: true, until: (v) => v.length >= 3 })).sort(),
    ).toEqual(['committed-1', 'committed-2', 'open-1']);
    const writer = kafka.producer();
    await writer.connect();
    await writer.send({ topic: 'durable', messages: [{ value: 'plain-after-restart' }] });
    const stuck = await readAll(kafka, 'durable', { readUncommitted: false, until: (v) => v.length >= 2 });
    expect(stuck.sort()).toEqual(['committed-1', 'committed-2']);

    // The producer's next incarnation aborts the open transaction and the LSO moves on.
    const again = tx('tx-open');
    await again.connect();
    const t3 = await again.transaction();
    await t3.send({ topic: 'durable', messages: [{ value: 'second-life' }] });
    await t3.commit();
    const [fenced] = await describeTransactions(running.bootstrap, ['tx-open']);
    expect(fenced!.epoch).toBeGreaterThan(before[0]!.epoch);
    const visible = await readAll(kafka, 'durable', { readUncommitted: false, until: (v) => v.length >= 4 });
    expect(visible.sort()).toEqual(['committed-1', 'committed-2', 'plain-after-restart', 'second-life']);
    await writer.disconnect();
    await again.disconnect();
  });
});
