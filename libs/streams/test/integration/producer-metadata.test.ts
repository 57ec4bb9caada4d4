import { Partitioners } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  Produced,
  Serdes,
  StreamsBuilder,
  type ProducerInterceptor,
  type ProducerRecordMetadata,
} from '../../src';
import { consume, createTopics, produce, silentLogger, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);

const S = Serdes.String();

/** Kafka's default partitioner for a keyed record (kafkajs' Java-compatible murmur2 implementation). */
function javaPartition(key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  return partitioner({
    topic: 't',
    partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    })),
    message: { key, value: null },
  });
}

describe('the producer side follows the cluster', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  it('partitions added to a sink topic while running are used without a restart, and nothing is lost', async () => {
    await createTopics(env.kafka, [{ topic: 'grow-in' }, { topic: 'grow-out', numPartitions: 1 }]);
    const builder = new StreamsBuilder();
    builder.stream('grow-in', Consumed.with(S, S)).to('grow-out', Produced.with(S, S));
    const streams = new KafkaStreams(builder.build(), {
      applicationId: 'grow',
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      metadataMaxAgeMs: 300,
      metricsRegistry: new Registry(),
      logger: silentLogger,
    });
    await streams.start();
    try {
      const before = Array.from({ length: 40 }, (_, i) => ({ key: `a${i}`, value: `a${i}` }));
      await produce(env.kafka, 'grow-in', before);
      await consume(env.kafka, 'grow-out', 40);

      const admin = env.kafka.admin();
      await admin.connect();
      await admin.createPartitions({ topicPartitions: [{ topic: 'grow-out', count: 4 }] });
      await admin.disconnect();

      // Trickle records until the application writes to a new partition (its metadata refreshed).
      let n = 0;
      await waitFor(
        async () => {
          await produce(env.kafka, 'grow-in', [{ key: `b${n}`, value: `b${n}` }]);
          n++;
          const out = await consume(env.kafka, 'grow-out', 40 + n, 30000);
          return out.some((r) => r.partition > 0);
        },
        60000,
        'a record in an added partition',
      );
      const after = Array.from({ length: 100 }, (_, i) => ({ key: `c${i}`, value: `c${i}` }));
      await produce(env.kafka, 'grow-in', after);
      const total = 40 + n + 100;
      const out = await consume(env.kafka, 'grow-out', total);
      // Every record exactly once (kafkajs silently drops records for partitions its own metadata lacks).
      expect(out.map((r) => r.value!.toString()).sort()).toEqual(
        [
          ...before.map((r) => r.value),
          ...Array.from({ length: n }, (_, i) => `b${i}`),
          ...after.map((r) => r.value),
        ].sort(),
      );
      // After the refresh every record lands where Kafka's producer puts it over 4 partitions.
      for (const r of out.filter((o) => o.key!.startsWith('c')))
        expect([r.key, r.partition]).toEqual([r.key, javaPartition(r.key!, 4)]);
      expect(new Set(out.filter((o) => o.key!.startsWith('c')).map((r) => r.partition)).size).toBeGreaterThan(
        1,
      );
    } finally {
      await streams.close();
    }
  });

  it('a TopicNameExtractor sink reports real partitions and offsets to producer interceptors', async () => {
    await createTopics(env.kafka, [
      { topic: 'tne-in', numPartitions: 2 },
      { topic: 'tne-even', numPartitions: 3 },
      { topic: 'tne-odd', numPartitions: 2 },
    ]);
    const input = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: String(i) }));
    await produce(env.kafka, 'tne-in', input);
    const acked: Array<{ md: ProducerRecordMetadata; error: Error | null }> = [];
    const interceptor: ProducerInterceptor = {
      onSend: (r) => r,
      onAcknowledgement: (md, error) => acked.push({ md, error }),
    };
    const builder = new StreamsBuilder();
    builder
      .stream('tne-in', Consumed.with(S, S))
      .to((_k, v) => (Number(v) % 2 === 0 ? 'tne-even' : 'tne-odd'), Produced.with(S, S));
    const streams = new KafkaStreams(builder.build(), {
      applicationId: 'tne',
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      producerInterceptors: [interceptor],
      metricsRegistry: new Registry(),
      logger: silentLogger,
    });
    await streams.start();
    try {
      const even = await consume(env.kafka, 'tne-even', 25);
      const odd = await consume(env.kafka, 'tne-odd', 25);
      await waitFor(() => acked.length >= 50, 30000, '50 acknowledgements');
      expect(acked.filter((a) => a.error !== null)).toEqual([]);
      const written = new Map([...even, ...odd].map((r) => [`${r.topic}/${r.partition}/${r.offset}`, r]));
      for (const { md } of acked) {
        expect(md.offset).toBeGreaterThanOrEqual(0);
        const r = written.get(`${md.topic}/${md.partition}/${md.offset}`);
        expect(r).toBeDefined();
        expect(md.partition).toBe(javaPartition(r!.key!, md.topic === 'tne-even' ? 3 : 2));
      }
      expect(new Set(acked.map((a) => `${a.md.topic}/${a.md.partition}/${a.md.offset}`)).size).toBe(50);
    } finally {
      await streams.close();
    }
  });
});
