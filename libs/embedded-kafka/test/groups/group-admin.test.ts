/**
 * Group administration through the kafkajs admin client over TCP, and the
 * kafka_exporter-compatible consumer-group metrics.
 */
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { EmbeddedKafka } from '../../src';
import { kafkaClient, startBroker, waitFor } from './support/broker';

const TOPIC = 'admin-orders';

describe('consumer groups through the kafkajs admin client', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    broker = await startBroker({ metricsPort: 0 });
    kafka = kafkaClient(broker.bootstrapServers, 'admin-test');
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: Array.from({ length: 20 }, (_, i) => ({ partition: i % 2, value: `v${i}` })),
    });
  });

  afterAll(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {});
    await producer?.disconnect();
    await admin?.disconnect();
    await broker.stop();
  });

  async function consumeAll(groupId: string, expected: number): Promise<Consumer> {
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 200,
    });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    let seen = 0;
    await consumer.run({
      eachMessage: async () => {
        seen++;
      },
    });
    await waitFor(() => seen >= expected, 30_000, `${expected} records in ${groupId}`);
    return consumer;
  }

  it('describes and lists a running group, refuses to delete or reset it, then manages it once empty', async () => {
    const consumer = await consumeAll('admin-group', 20);
    await waitFor(
      async () =>
        (await admin.fetchOffsets({ groupId: 'admin-group', topics: [TOPIC] }))[0]!.partitions.every(
          (p) => p.offset === '10',
        ),
      30_000,
      'offsets committed at the log end',
    );

    const described = (await admin.describeGroups(['admin-group', 'no-such-group'])).groups;
    expect(described[0]).toMatchObject({
      groupId: 'admin-group',
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
    });
    expect(described[0]!.members).toHaveLength(1);
    expect(described[0]!.members[0]).toMatchObject({ clientId: 'admin-test', clientHost: '/127.0.0.1' });
    expect(described[1]).toMatchObject({ groupId: 'no-such-group', state: 'Dead', members: [] });
    expect((await admin.listGroups()).groups).toContainEqual({
      groupId: 'admin-group',
      protocolType: 'consumer',
    });

    await expect(admin.deleteGroups(['admin-group'])).rejects.toMatchObject({
      groups: [expect.objectContaining({ groupId: 'admin-group', errorCode: 68 })], // NON_EMPTY_GROUP
    });
    // kafkajs refuses to reset a group with running members (the coordinator-side refusal of
    // generation-less commits to a live group is covered by the state-machine tests).
    await expect(
      admin.resetOffsets({ groupId: 'admin-group', topic: TOPIC, earliest: true }),
    ).rejects.toThrow();

    // Lag metrics: the member pauses (staying in the group) and a record arrives.
    consumer.pause([{ topic: TOPIC }]);
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition: 0, value: 'late' }] });
    const metrics = await (await fetch(`http://127.0.0.1:${broker.metricsPort}/metrics`)).text();
    expect(metrics).toContain(
      'kafka_consumergroup_current_offset{consumergroup="admin-group",topic="admin-orders",partition="1"} 10',
    );
    expect(metrics).toContain(
      'kafka_consumergroup_lag{consumergroup="admin-group",topic="admin-orders",partition="0"} 1',
    );
    expect(metrics).toContain(
      'kafka_consumergroup_lag{consumergroup="admin-group",topic="admin-orders",partition="1"} 0',
    );
    expect(metrics).toContain(
      'kafka_consumergroup_lag_sum{consumergroup="admin-group",topic="admin-orders"} 1',
    );
    expect(metrics).toContain('kafka_consumergroup_members{consumergroup="admin-group"} 1');

    await consumer.disconnect();
    expect((await admin.describeGroups(['admin-group'])).groups[0]!.state).toBe('Empty');
    expect(await broker.metricsRegistry.metrics()).toContain(
      'kafka_consumergroup_members{consumergroup="admin-group"} 0',
    );

    // Reset to earliest, then set an explicit offset, as kafka-consumer-groups.sh would. kafkajs commits the
    // sentinels (-2 earliest, -1 latest) as Kafka stores them; resolveOffsets turns them into log offsets.
    const committed = async (resolveOffsets = false) =>
      (await admin.fetchOffsets({ groupId: 'admin-group', topics: [TOPIC], resolveOffsets }))[0]!.partitions
        .map((p) => [p.partition, p.offset])
        .sort();
    await admin.resetOffsets({ groupId: 'admin-group', topic: TOPIC, earliest: true });
    expect(await committed()).toEqual([
      [0, '-2'],
      [1, '-2'],
    ]);
    // A reset sentinel is exported as the committed value, without a lag series.
    const afterReset = await broker.metricsRegistry.metrics();
    expect(afterReset).toContain(
      'kafka_consumergroup_current_offset{consumergroup="admin-group",topic="admin-orders",partition="0"} -2',
    );
    expect(afterReset).not.toContain('kafka_consumergroup_lag{consumergroup="admin-group"');
    // resolveOffsets makes kafkajs commit the resolved offsets.
    expect(await committed(true)).toEqual([
      [0, '0'],
      [1, '0'],
    ]);
    await admin.setOffsets({
      groupId: 'admin-group',
      topic: TOPIC,
      partitions: [{ partition: 1, offset: '7' }],
    });
    expect(await committed()).toEqual([
      [0, '0'],
      [1, '7'],
    ]);
    // A consumer of the reset group starts from the committed offsets: all of partition 0, partition 1 from 7.
    const again = kafka.consumer({
      groupId: 'admin-group',
      sessionTimeout: 10_000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 200,
    });
    consumers.push(again);
    await again.connect();
    await again.subscribe({ topic: TOPIC });
    const values: string[] = [];
    await again.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
    await waitFor(() => values.length >= 14, 30_000, 'the 14 records after the committed offsets');
    const expected = [...Array.from({ length: 10 }, (_, i) => `v${2 * i}`), 'late', 'v15', 'v17', 'v19'];
    expect([...values].sort()).toEqual(expected.sort());
    await again.disconnect();

    const deleted = await admin.deleteGroups(['admin-group']);
    expect(deleted).toEqual([expect.objectContaining({ groupId: 'admin-group', errorCode: 0 })]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('admin-group');
    const afterDelete = (await admin.fetchOffsets({ groupId: 'admin-group', topics: [TOPIC] }))[0]!
      .partitions;
    expect(afterDelete.every((p) => p.offset === '-1')).toBe(true);
    await expect(admin.deleteGroups(['admin-group'])).rejects.toMatchObject({
      groups: [expect.objectContaining({ groupId: 'admin-group', errorCode: 69 })], // GROUP_ID_NOT_FOUND
    });
  });

  it('fetches committed offsets with metadata and -1 for partitions never committed', async () => {
    const consumer = kafka.consumer({
      groupId: 'manual-group',
      sessionTimeout: 10_000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 200,
    });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommit: false, eachMessage: async () => void seen++ });
    await waitFor(() => seen >= 21, 30_000, 'every record');
    await consumer.commitOffsets([{ topic: TOPIC, partition: 0, offset: '4' }]);
    const fetched = (await admin.fetchOffsets({ groupId: 'manual-group', topics: [TOPIC] }))[0]!.partitions;
    expect(fetched.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '4', metadata: null },
      { partition: 1, offset: '-1', metadata: null },
    ]);
    await consumer.disconnect();
  });

  it('drops committed offsets when their topic is deleted and created again', async () => {
    const topic = 'admin-recreated';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.setOffsets({ groupId: 'recreate-group', topic, partitions: [{ partition: 0, offset: '0' }] });
    expect(
      (await admin.fetchOffsets({ groupId: 'recreate-group', topics: [topic] }))[0]!.partitions[0]!.offset,
    ).toBe('0');
    await admin.deleteTopics({ topics: [topic] });
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    expect(
      (await admin.fetchOffsets({ groupId: 'recreate-group', topics: [topic] }))[0]!.partitions[0]!.offset,
    ).toBe('-1');
  });
});
