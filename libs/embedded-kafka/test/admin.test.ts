import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { EmbeddedKafka } from '../src';
import { kafkaFor } from './helpers/broker';

describe('kafkajs admin against the embedded broker', () => {
  let broker: EmbeddedKafka;
  let admin: Admin;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0 });
    admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  });

  it('creates, lists, describes and deletes topics', async () => {
    await expect(
      admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }], waitForLeaders: true }),
    ).resolves.toBe(true);
    await expect(admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })).resolves.toBe(
      false,
    );
    expect(await admin.listTopics()).toContain('orders');
    const md = await admin.fetchTopicMetadata({ topics: ['orders'] });
    expect(md.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    expect(md.topics[0]!.partitions.every((p) => p.leader === 1)).toBe(true);
    await admin.deleteTopics({ topics: ['orders'] });
    expect(await admin.listTopics()).not.toContain('orders');
  });

  it('refuses invalid topic names and bad configs with the Kafka error', async () => {
    await expect(admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_TOPIC_EXCEPTION' })],
    });
    await expect(
      admin.createTopics({
        topics: [{ topic: 'cfg-bad', configEntries: [{ name: 'retention.ms', value: 'soon' }] }],
      }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_CONFIG' })] });
    await expect(
      admin.createTopics({ topics: [{ topic: 'rf-bad', replicationFactor: 3 }] }),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
    });
  });

  it('adds partitions', async () => {
    await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 4 }] });
    const md = await admin.fetchTopicMetadata({ topics: ['grow'] });
    expect(md.topics[0]!.partitions).toHaveLength(4);
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 2 }] }),
    ).rejects.toThrow();
  });

  it('describes and alters topic configs', async () => {
    await admin.createTopics({
      topics: [{ topic: 'configured', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'configured',
          configNames: ['cleanup.policy', 'retention.ms'],
        },
      ],
    });
    const entries = Object.fromEntries(described.resources[0]!.configEntries.map((c) => [c.configName, c]));
    expect(entries['cleanup.policy']!.configValue).toBe('compact');
    expect(entries['cleanup.policy']!.isDefault).toBe(false);
    expect(entries['retention.ms']!.configValue).toBe('604800000');
    expect(entries['retention.ms']!.isDefault).toBe(true);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'configured',
          configEntries: [{ name: 'retention.ms', value: '1000' }],
        },
      ],
    });
    const after = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'configured',
          configNames: ['retention.ms', 'cleanup.policy'],
        },
      ],
    });
    const afterEntries = Object.fromEntries(
      after.resources[0]!.configEntries.map((c) => [c.configName, c.configValue]),
    );
    expect(afterEntries['retention.ms']).toBe('1000');
    // AlterConfigs replaces the whole override set, as in Kafka.
    expect(afterEntries['cleanup.policy']).toBe('delete');
    await expect(
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: 'configured',
            configEntries: [{ name: 'no.such.config', value: '1' }],
          },
        ],
      }),
    ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
  });

  it('reports offsets and deletes records', async () => {
    await admin.createTopics({ topics: [{ topic: 'offsets', numPartitions: 2 }] });
    const producer = kafkaFor(broker.bootstrapServers).producer();
    await producer.connect();
    const t0 = Date.now();
    await producer.send({
      topic: 'offsets',
      messages: Array.from({ length: 10 }, (_, i) => ({
        partition: 0,
        value: `v${i}`,
        timestamp: String(t0 + i * 1000),
      })),
    });
    await producer.send({ topic: 'offsets', messages: [{ partition: 1, value: 'x' }] });
    await producer.disconnect();

    const offsets = await admin.fetchTopicOffsets('offsets');
    expect(offsets.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '10', high: '10', low: '0' },
      { partition: 1, offset: '1', high: '1', low: '0' },
    ]);
    const byTime = await admin.fetchTopicOffsetsByTimestamp('offsets', t0 + 4500);
    expect(byTime.find((o) => o.partition === 0)!.offset).toBe('5');

    await admin.deleteTopicRecords({ topic: 'offsets', partitions: [{ partition: 0, offset: '7' }] });
    const after = await admin.fetchTopicOffsets('offsets');
    expect(after.find((o) => o.partition === 0)).toEqual({
      partition: 0,
      offset: '10',
      high: '10',
      low: '7',
    });
    await expect(
      admin.deleteTopicRecords({ topic: 'offsets', partitions: [{ partition: 0, offset: '99' }] }),
    ).rejects.toThrow();
  });
});
