/**
 * KIP-447's stable offset fetches with the patched kafkajs, over TCP against the embedded broker:
 * a read_committed consumer (and the admin, when asked) fetches committed offsets with OffsetFetch
 * v7 `require_stable`; a partition whose offsets an open transaction has staged answers
 * UNSTABLE_OFFSET_COMMIT (88) and the fetch is retried until that transaction ends. So a new owner
 * of a partition never starts below a transactional commit still in progress (an instance frozen
 * between TxnOffsetCommit and EndTxn). Also: error code 90 is named PRODUCER_FENCED (unpatched
 * kafkajs reported an unknown error code, which the runtime did not take for fencing).
 */
import {
  createTopics,
  produce,
  sendOffset,
  sleep,
  transactionalProducer,
  useBroker,
  waitForValue,
} from '@gmart/test-support';
import type { Transaction } from 'kafkajs';
import { isFencedError } from '../../src/errors/producer-fenced-error';

jest.setTimeout(60000);

describe('kafkajs OffsetFetch require_stable (patch) against the embedded broker', () => {
  const broker = useBroker({ clientId: 'krs' });

  /** Opens a transaction staging `offset` for partition 0 of `topic` in `groupId` (not committed). */
  async function stageOffset(
    transactionalId: string,
    groupId: string,
    topic: string,
    offset: number,
  ): Promise<{ txn: Transaction; disconnect: () => Promise<void> }> {
    const producer = await transactionalProducer(broker().kafka, transactionalId);
    const txn = await producer.transaction();
    await sendOffset(txn, groupId, topic, offset);
    return { txn, disconnect: () => producer.disconnect() };
  }

  it('admin fetchOffsets with requireStable waits for the pending commit; without it answers the older offset', async () => {
    const env = broker();
    await createTopics(env.kafka, [{ topic: 'krs-admin' }]);
    const { txn, disconnect } = await stageOffset('krs-admin-txn', 'krs-admin-group', 'krs-admin', 7);
    const admin = env.kafka.admin();
    await admin.connect();
    try {
      const fetch = (requireStable: boolean) =>
        admin
          .fetchOffsets({ groupId: 'krs-admin-group', topics: ['krs-admin'], requireStable })
          .then((r) => Number(r[0].partitions[0].offset));
      expect(await fetch(false)).toBe(-1);
      let stable: number | undefined;
      const pending = fetch(true).then((o) => (stable = o));
      await sleep(600);
      expect(stable).toBeUndefined();
      await txn.commit();
      expect(await pending).toBe(7);
      expect(await fetch(true)).toBe(7);
    } finally {
      await admin.disconnect();
      await disconnect();
    }
  });

  it('a read_committed consumer joining while a commit is pending starts from the committed offset, not below it', async () => {
    const env = broker();
    const topic = 'krs-consume';
    await createTopics(env.kafka, [{ topic }]);
    await produce(
      env.kafka,
      topic,
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    const { txn, disconnect } = await stageOffset('krs-consume-txn', 'krs-consume-group', topic, 6);
    const consumer = env.kafka.consumer({ groupId: 'krs-consume-group', maxWaitTimeInMs: 100 });
    let first: number | undefined;
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          first ??= Number(batch.messages[0]?.offset);
        },
      });
      // Without require_stable the member would start at once from the beginning (no committed
      // offset yet); with it, its OffsetFetch waits for the transaction.
      await sleep(1500);
      expect(first).toBeUndefined();
      await txn.commit();
      expect(await waitForValue(() => first, 30000, 'the first batch')).toBe(6);
    } finally {
      await consumer.disconnect();
      await disconnect();
    }
  });

  it('error code 90 is PRODUCER_FENCED (not retriable), which the runtime takes for a fenced producer', () => {
    // kafkajs sends AddOffsetsToTxn and EndTxn at versions older than KIP-588 (a fenced producer gets
    // INVALID_PRODUCER_EPOCH there); TxnOffsetCommit v3 and newer brokers answer 90.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createErrorFromCode } = require('kafkajs/src/protocol/error');
    const error = createErrorFromCode(90);
    expect(error).toMatchObject({ type: 'PRODUCER_FENCED', code: 90, retriable: false });
    expect(isFencedError(error)).toBe(true);
    expect(createErrorFromCode(89)).toMatchObject({ type: 'THROTTLING_QUOTA_EXCEEDED', retriable: true });
    expect(createErrorFromCode(88)).toMatchObject({ type: 'UNSTABLE_OFFSET_COMMIT', retriable: true });
  });
});
