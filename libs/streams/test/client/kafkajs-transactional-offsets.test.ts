/**
 * The patched kafkajs sends the consumer's group metadata with a transaction's offsets
 * (TxnOffsetCommit v3, KIP-447): against the embedded broker, a commit with the member's current
 * generation goes through, one from a stale generation or an unknown member is refused, so a
 * zombie member's transaction cannot commit its offsets.
 */
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel } from 'kafkajs';

jest.setTimeout(60000);

describe('kafkajs TxnOffsetCommit v3 (patch) against the embedded broker', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;
  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0, groupInitialRebalanceDelayMs: 0 });
    kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, clientId: 'k447' });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('commits with the current generation and refuses a stale generation or an unknown member', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'k447-in', numPartitions: 1 }] });
    const consumer = kafka.consumer({ groupId: 'k447-group' });
    let joined: { generationId: number; memberId: string } | undefined;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      joined = { generationId: e.payload.generationId, memberId: e.payload.memberId };
    });
    await consumer.connect();
    await consumer.subscribe({ topics: ['k447-in'], fromBeginning: true });
    await consumer.run({ eachBatch: async () => undefined });
    const deadline = Date.now() + 30000;
    while (!joined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(joined?.generationId).toBeGreaterThan(0);
    expect(joined?.memberId).not.toBe('');

    const producer = kafka.producer({
      transactionalId: 'k447-txn',
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const commitAt = async (offset: number, generationId: number, memberId: string) => {
      const txn = await producer.transaction();
      try {
        await txn.sendOffsets({
          consumerGroupId: 'k447-group',
          generationId,
          memberId,
          groupInstanceId: null,
          topics: [{ topic: 'k447-in', partitions: [{ partition: 0, offset: String(offset) }] }],
        });
      } catch (error) {
        await txn.abort();
        throw error;
      }
      await txn.commit();
    };
    const committed = async () =>
      Number(
        (await admin.fetchOffsets({ groupId: 'k447-group', topics: ['k447-in'] }))[0]!.partitions[0]!.offset,
      );

    await commitAt(5, joined!.generationId, joined!.memberId);
    expect(await committed()).toBe(5);
    await expect(commitAt(9, joined!.generationId + 1, joined!.memberId)).rejects.toMatchObject({
      type: 'ILLEGAL_GENERATION',
    });
    await expect(commitAt(9, joined!.generationId, 'no-such-member')).rejects.toMatchObject({
      type: 'UNKNOWN_MEMBER_ID',
    });
    expect(await committed()).toBe(5);

    await producer.disconnect();
    await consumer.disconnect();
    await admin.disconnect();
  });
});
