/**
 * `readTopic` (scripts/local-stack, used by the services' end-to-end tests) over a topic written in
 * Kafka transactions, as the exactly-once services write theirs: every partition then ends with a
 * commit or abort marker, a control record no consumer is ever handed. The reader must finish
 * (it used to wait for a record at end offset - 1 and time out) and return the committed records
 * only.
 */
import { createTopics, startBroker, transactionalProducer, type TestBroker } from '@gmart/test-support';
import { endOffsetSum, readTopic, waitForRecords } from '@gmart/test-support/local-stack';

jest.setTimeout(60_000);

describe('readTopic over a transactionally written topic', () => {
  let env: TestBroker;

  beforeAll(async () => {
    env = await startBroker({ clientId: 'reader' });
  });

  afterAll(async () => {
    await env?.broker.stop();
  });

  it('returns the committed records of every partition and finishes though each ends with a marker', async () => {
    await createTopics(env.kafka, [{ topic: 'txn-out', numPartitions: 3 }]);
    const producer = await transactionalProducer(env.kafka, 'reader-test-txn');
    const write = async (commit: boolean, messages: Array<{ partition: number; value: string }>) => {
      const txn = await producer.transaction();
      await txn.send({ topic: 'txn-out', messages });
      await (commit ? txn.commit() : txn.abort());
    };
    const committed: string[] = [];
    for (let t = 0; t < 4; t++) {
      const messages = [0, 1, 2].flatMap((partition) =>
        Array.from({ length: 5 }, (_, i) => ({ partition, value: `c${t}-p${partition}-${i}` })),
      );
      await write(true, messages);
      committed.push(...messages.map((m) => m.value));
    }
    // Partition 0 ends with an aborted transaction (its records and the abort marker); partition 1
    // with a commit marker right after its records; partition 2 with a one-record commit.
    await write(false, [
      { partition: 0, value: 'aborted-1' },
      { partition: 0, value: 'aborted-2' },
    ]);
    await write(true, [{ partition: 2, value: 'last' }]);
    committed.push('last');
    await producer.disconnect();

    const records = await readTopic(env.kafka, 'txn-out', 20_000);
    expect(records.map((r) => r.value!.toString()).sort()).toEqual([...committed].sort());
    // Within a partition, in offset order.
    for (const p of [0, 1, 2]) {
      const offsets = records.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
  });

  it('waitForRecords counts committed records, not offsets taken by markers and aborted records', async () => {
    await createTopics(env.kafka, [{ topic: 'txn-count' }]);
    const producer = await transactionalProducer(env.kafka, 'count-test-txn');
    let txn = await producer.transaction();
    await txn.send({ topic: 'txn-count', messages: [{ value: 'one' }] });
    await txn.commit();
    txn = await producer.transaction();
    await txn.send({ topic: 'txn-count', messages: [{ value: 'aborted' }] });
    await txn.abort();
    // One committed record, but four offsets: record, commit marker, aborted record, abort marker.
    expect(await endOffsetSum(env.kafka, 'txn-count')).toBe(4);
    await expect(waitForRecords(env.kafka, 'txn-count', 2, 3_000)).rejects.toThrow(
      'timed out waiting for 2 records on "txn-count" (have 1)',
    );
    txn = await producer.transaction();
    await txn.send({ topic: 'txn-count', messages: [{ value: 'two' }] });
    await txn.commit();
    await producer.disconnect();
    await expect(waitForRecords(env.kafka, 'txn-count', 2, 20_000)).resolves.toBeUndefined();
  });
});
