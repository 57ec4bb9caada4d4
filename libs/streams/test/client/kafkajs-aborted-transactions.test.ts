/**
 * kafkajs read_committed with interleaved aborted transactions (as two instances of an
 * exactly-once application write one output partition around a crash): a Fetch lists the aborted
 * transactions in the order of their abort markers, as Kafka's broker does, so one that began
 * earlier can come second. Unpatched kafkajs assumes the list sorted by first offset and starts at
 * most one per record, and hands the earlier one's records over as if committed; the patch (as
 * Java's consumer) orders them by first offset and starts every one that has begun.
 */
import { createTopics, readCommitted, transactionalProducer, useBroker } from '@gmart/test-support';

jest.setTimeout(60000);

describe('kafkajs read_committed over interleaved aborted transactions (patch)', () => {
  const broker = useBroker({ clientId: 'abort' });

  it('hands over no record of an aborted transaction, whatever the order of the aborts', async () => {
    const { kafka } = broker();
    await createTopics(kafka, [{ topic: 'abort-out' }]);
    const [p1, p2, p3] = await Promise.all(
      ['abort-1', 'abort-2', 'abort-3'].map((id) => transactionalProducer(kafka, id)),
    );
    const msg = (value: string) => ({ topic: 'abort-out', messages: [{ partition: 0, value }] });
    // Offsets: 0 p1, 1 p2, 2 p3 (committed below), 3 p2, then p2 aborts, 5 p1, then p1 aborts.
    const t1 = await p1.transaction();
    await t1.send(msg('aborted-1a'));
    const t2 = await p2.transaction();
    await t2.send(msg('aborted-2a'));
    const t3 = await p3.transaction();
    await t3.send(msg('committed-3a'));
    await t2.send(msg('aborted-2b'));
    await t2.abort();
    await t1.send(msg('aborted-1b'));
    await t3.commit();
    await t1.abort();
    const t4 = await p3.transaction();
    await t4.send(msg('committed-3b'));
    await t4.commit();
    await Promise.all([p1.disconnect(), p2.disconnect(), p3.disconnect()]);

    const values = (await readCommitted(kafka, 'abort-out')).map((r) => r.value!.toString());
    expect(values).toEqual(['committed-3a', 'committed-3b']);
  });
});
