/**
 * The patched kafkajs sends the consumer's group metadata with a transaction's offsets
 * (TxnOffsetCommit v3, KIP-447): against the embedded broker, a commit with the member's current
 * generation goes through, one from a stale generation or an unknown member is refused, so a
 * zombie member's transaction cannot commit its offsets.
 */
import {
  committedOffset,
  createTopics,
  sendOffset,
  transactionalProducer,
  useBroker,
  waitForValue,
} from '@gmart/test-support';

jest.setTimeout(60000);

describe('kafkajs TxnOffsetCommit v3 (patch) against the embedded broker', () => {
  const broker = useBroker({ clientId: 'k447' });

  it('commits with the current generation and refuses a stale generation or an unknown member', async () => {
    const env = broker();
    await createTopics(env.kafka, [{ topic: 'k447-in' }]);
    const consumer = env.kafka.consumer({ groupId: 'k447-group' });
    let joined: { generationId: number; memberId: string } | undefined;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      joined = { generationId: e.payload.generationId, memberId: e.payload.memberId };
    });
    await consumer.connect();
    await consumer.subscribe({ topics: ['k447-in'], fromBeginning: true });
    await consumer.run({ eachBatch: async () => undefined });
    const member = await waitForValue(() => joined, 30000, 'the consumer to join its group');
    expect(member.generationId).toBeGreaterThan(0);
    expect(member.memberId).not.toBe('');

    const producer = await transactionalProducer(env.kafka, 'k447-txn');
    const commitAt = async (offset: number, generationId: number, memberId: string) => {
      const txn = await producer.transaction();
      try {
        await sendOffset(txn, 'k447-group', 'k447-in', offset, { generationId, memberId });
      } catch (error) {
        await txn.abort();
        throw error;
      }
      await txn.commit();
    };
    const committed = () => committedOffset(env.kafka, 'k447-group', 'k447-in');

    await commitAt(5, member.generationId, member.memberId);
    expect(await committed()).toBe(5);
    await expect(commitAt(9, member.generationId + 1, member.memberId)).rejects.toMatchObject({
      type: 'ILLEGAL_GENERATION',
    });
    await expect(commitAt(9, member.generationId, 'no-such-member')).rejects.toMatchObject({
      type: 'UNKNOWN_MEMBER_ID',
    });
    expect(await committed()).toBe(5);

    await producer.disconnect();
    await consumer.disconnect();
  });
});
