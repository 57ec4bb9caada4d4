import { EmbeddedKafka } from '../src';
import { kafkaFor } from './helpers/broker';
import { kcat, kcatConsume } from './helpers/kcat';

describe('interop with librdkafka (kcat) and kafkajs', () => {
  let broker: EmbeddedKafka;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0, groupInitialRebalanceDelayMs: 0 });
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('kcat produces (acks=all, lz4 and plain), kcat -C reads back every record with offsets', async () => {
    const input = Array.from({ length: 500 }, (_, i) => `key${i}:value${i}`).join('\n') + '\n';
    const plain = await kcat(
      ['-P', '-b', broker.bootstrapServers, '-t', 'kc-plain', '-K:', '-X', 'acks=all', '-X', 'linger.ms=5'],
      input,
    );
    expect(plain.code).toBe(0);
    const lz4 = await kcat(
      ['-P', '-b', broker.bootstrapServers, '-t', 'kc-lz4', '-K:', '-X', 'acks=all', '-z', 'lz4'],
      input,
    );
    expect(lz4.code).toBe(0);
    for (const topic of ['kc-plain', 'kc-lz4']) {
      const lines = await kcatConsume(broker.bootstrapServers, topic, '%k=%s@%o\\n');
      expect(lines).toEqual(Array.from({ length: 500 }, (_, i) => `key${i}=value${i}@${i}`));
    }
  });

  it('kcat produces and a kafkajs consumer reads every record in order through the fetch path', async () => {
    const input = Array.from({ length: 300 }, (_, i) => `k${i}:v${i}`).join('\n') + '\n';
    expect(
      (
        await kcat(
          ['-P', '-b', broker.bootstrapServers, '-t', 'to-kafkajs', '-K:', '-X', 'acks=all', '-z', 'gzip'],
          input,
        )
      ).code,
    ).toBe(0);
    const consumer = kafkaFor(broker.bootstrapServers, 'fetch-path').consumer({
      groupId: 'fetch-path-group',
      maxWaitTimeInMs: 200,
    });
    const seen: string[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: 'to-kafkajs', fromBeginning: true });
      const done = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(`${message.key}=${message.value}@${message.offset}`);
            if (seen.length === 300) resolve();
          },
        });
      });
      await done;
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => `k${i}=v${i}@${i}`));
  });

  it('kafkajs produces with headers, kcat -C reads keys, values and headers', async () => {
    const producer = kafkaFor(broker.bootstrapServers).producer();
    await producer.connect();
    await producer.send({
      topic: 'from-kafkajs',
      acks: -1,
      messages: Array.from({ length: 50 }, (_, i) => ({
        key: `k${i}`,
        value: `v${i}`,
        headers: { source: 'kafkajs' },
      })),
    });
    await producer.disconnect();
    const lines = await kcatConsume(broker.bootstrapServers, 'from-kafkajs', '%k=%s %h\\n');
    expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}=v${i} source=kafkajs`));
  });
});
