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
import { defaultPartition } from '../../src/processor/internals/murmur2';
import { consume, createTopics, produce, silentLogger, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);

describe('producer interceptors against the embedded broker', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  it('acknowledge every record with the partition and offset it was written at', async () => {
    await createTopics(env.kafka, [
      { topic: 'ack-in', numPartitions: 2 },
      { topic: 'ack-out', numPartitions: 3 },
    ]);
    const keyed = Array.from({ length: 60 }, (_, i) => ({ key: `customer-${i % 13}`, value: `k${i}` }));
    const unkeyed = Array.from({ length: 9 }, (_, i) => ({ key: null, value: `n${i}` }));
    await produce(env.kafka, 'ack-in', [...keyed, ...unkeyed]);

    const sent: Array<{ value: string; partition: number | undefined }> = [];
    const acked: Array<{ md: ProducerRecordMetadata; error: Error | null }> = [];
    const interceptor: ProducerInterceptor = {
      onSend: (r) => {
        sent.push({ value: r.value!.toString(), partition: r.partition });
        return r;
      },
      onAcknowledgement: (md, error) => acked.push({ md, error }),
    };
    const S = Serdes.String();
    const builder = new StreamsBuilder();
    builder.stream('ack-in', Consumed.with(S, S)).to('ack-out', Produced.with(S, S));
    const streams = new KafkaStreams(builder.build(), {
      applicationId: 'acks',
      bootstrapServers: env.brokers,
      commitIntervalMs: 200,
      producerInterceptors: [interceptor],
      metricsRegistry: new Registry(),
      logger: silentLogger,
    });
    await streams.start();
    try {
      const out = await consume(env.kafka, 'ack-out', 69);
      await waitFor(() => acked.length >= 69, 30000, '69 acknowledgements');
      // onSend sees the record as the topology sent it: no partition chosen yet (as Kafka's producer).
      expect(sent.every((s) => s.partition === undefined)).toBe(true);
      expect(acked.every((a) => a.error === null && a.md.topic === 'ack-out')).toBe(true);
      // Each acknowledged record is where the broker says it is: same partition and offset.
      const written = new Map(out.map((r) => [`${r.partition}/${r.offset}`, r]));
      for (const { md } of acked) {
        const r = written.get(`${md.partition}/${md.offset}`);
        expect(r).toBeDefined();
        expect(md.serializedValueSize).toBe(r!.value!.length);
        // Keyed records land where Kafka's default partitioner (murmur2) puts them.
        if (r!.key !== null) expect(md.partition).toBe(defaultPartition(Buffer.from(r!.key), 3));
      }
      expect(new Set(acked.map((a) => `${a.md.partition}/${a.md.offset}`)).size).toBe(69);
      // Records without a key are spread over the partitions.
      const unkeyedPartitions = new Set(out.filter((r) => r.key === null).map((r) => r.partition));
      expect(unkeyedPartitions.size).toBe(3);
    } finally {
      await streams.close();
    }
  });
});
