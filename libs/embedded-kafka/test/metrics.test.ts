import { EmbeddedKafka } from '../src';
import { kafkaFor } from './helpers/broker';

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('Prometheus metrics endpoint', () => {
  let broker: EmbeddedKafka;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0, metricsPort: 0 });
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('publishes requests by API, bytes in/out and kafka_exporter topic gauges', async () => {
    const kafka = kafkaFor(broker.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'metered', numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'metered',
      messages: Array.from({ length: 7 }, (_, i) => ({ partition: 1, value: `v${i}` })),
    });
    await producer.disconnect();
    await admin.fetchTopicMetadata({ topics: ['metered'] }); // kafkajs looks leaders up in its metadata cache
    await admin.deleteTopicRecords({ topic: 'metered', partitions: [{ partition: 1, offset: '3' }] });
    await admin.disconnect();

    const text = await scrape(broker.metricsPort!);
    expect(text).toMatch(/kafka_server_requests_total\{api="Produce"\} 1\b/);
    expect(text).toMatch(/kafka_server_requests_total\{api="Metadata"\} \d+/);
    expect(text).toMatch(/kafka_server_bytes_in_total [1-9]\d*/);
    expect(text).toMatch(/kafka_server_bytes_out_total [1-9]\d*/);
    expect(text).toContain('kafka_topic_partitions{topic="metered"} 2');
    expect(text).toContain('kafka_topic_partition_current_offset{topic="metered",partition="0"} 0');
    expect(text).toContain('kafka_topic_partition_current_offset{topic="metered",partition="1"} 7');
    expect(text).toContain('kafka_topic_partition_oldest_offset{topic="metered",partition="1"} 3');
    expect(text).toContain('kafka_brokers 1');

    const missing = await fetch(`http://127.0.0.1:${broker.metricsPort}/nope`);
    expect(missing.status).toBe(404);
  });
});
