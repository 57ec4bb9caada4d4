import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  CompressionType,
  KAFKA_CLIENTS,
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Produced,
  Serdes,
  StreamsBuilder,
  StreamsConfig,
  StreamThreadExceptionResponse,
} from '../../src';
import { registerKafkajsCodecs } from '../../src/client/kafkajs/kafkajs-compression';
import {
  consume,
  createTopics,
  silentLogger,
  startBroker,
  waitFor,
  committedOffsets,
} from '@gmart/test-support';

jest.setTimeout(120000);

const S = Serdes.String();
const CODEC_IDS: Record<Exclude<CompressionType, 'none'>, number> = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 };
const KAFKAJS: Record<Exclude<CompressionType, 'none'>, CompressionTypes> = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/**
 * Every codec produced and consumed through the streams runtime over TCP against the embedded broker:
 * the input is written compressed by kafkajs, the application writes its output with
 * `compressionType`, and the broker's log shows which codec each stored batch carries.
 */
describe('compressed record batches through the runtime', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    registerKafkajsCodecs();
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  function codecsStored(topic: string): Set<number> {
    const log = env.broker.logManager.partition(topic, 0)!;
    return new Set(log.allEntries().map((e) => e.attributes & 0x07));
  }

  async function produceCompressed(topic: string, codec: Exclude<CompressionType, 'none'>, values: string[]) {
    const p = env.kafka.producer();
    await p.connect();
    try {
      await p.send({
        topic,
        acks: -1,
        compression: KAFKAJS[codec],
        messages: values.map((value, i) => ({ key: `k${i}`, value })),
      });
    } finally {
      await p.disconnect();
    }
  }

  async function upperCaseApp(name: string, config: Partial<StreamsConfig>) {
    const b = new StreamsBuilder();
    b.stream(`${name}-in`, Consumed.with(S, S))
      .mapValues((v) => v.toUpperCase())
      .to(`${name}-out`, Produced.with(S, S));
    const streams = new KafkaStreams(b.build(), {
      applicationId: name,
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      logger: silentLogger,
      metricsRegistry: new Registry(),
      ...config,
    });
    await streams.start();
    return streams;
  }

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)(
    '%s: reads a compressed input and writes its output compressed with the same codec',
    async (codec) => {
      const name = `codec-${codec}`;
      await createTopics(env.kafka, [{ topic: `${name}-in` }, { topic: `${name}-out` }]);
      // Repetitive values so every codec actually shrinks them.
      const values = Array.from({ length: 300 }, (_, i) => `purchase ${i} ${'x'.repeat(i % 50)}`);
      await produceCompressed(`${name}-in`, codec, values);
      expect(codecsStored(`${name}-in`)).toEqual(new Set([CODEC_IDS[codec]]));

      const streams = await upperCaseApp(name, { compressionType: codec });
      try {
        const out = await consume(env.kafka, `${name}-out`, values.length);
        expect(out.map((r) => [r.key, r.value!.toString()])).toEqual(
          values.map((v, i) => [`k${i}`, v.toUpperCase()]),
        );
        expect(codecsStored(`${name}-out`)).toEqual(new Set([CODEC_IDS[codec]]));
      } finally {
        await streams.close();
      }
    },
  );

  it('rejects an unknown compressionType at start, naming the field', () => {
    const b = new StreamsBuilder();
    b.stream('x', Consumed.with(S, S)).to('y', Produced.with(S, S));
    expect(
      () =>
        new KafkaStreams(b.build(), {
          applicationId: 'bad-codec',
          bootstrapServers: env.brokers,
          compressionType: 'brotli' as never,
          logger: silentLogger,
        }),
    ).toThrow(/compressionType.*none, gzip, snappy, lz4, zstd.*"brotli"/);
  });

  /**
   * Writes, between two good lz4 batches, an lz4 batch whose compressed bytes are garbage (kafkajs'
   * lz4 codec swapped for one that writes garbage for that one send): the broker stores it as sent.
   */
  async function inputWithCorruptBatch(topic: string): Promise<void> {
    await createTopics(env.kafka, [{ topic }]);
    await produceCompressed(topic, 'lz4', ['{"n":1}', '{"n":2}']);
    const table = CompressionCodecs as Record<number, () => unknown>;
    const real = table[CompressionTypes.LZ4]!;
    table[CompressionTypes.LZ4] = () => ({
      compress: async () => Buffer.from('definitely not an lz4 frame'),
      decompress: async () => Buffer.alloc(0),
    });
    try {
      await produceCompressed(topic, 'lz4', ['{"n":3}', '{"n":4}', '{"n":5}']);
    } finally {
      table[CompressionTypes.LZ4] = real;
    }
    await produceCompressed(topic, 'lz4', ['{"n":6}']);
  }

  function jsonApp(name: string, config: Partial<StreamsConfig>) {
    const b = new StreamsBuilder();
    b.stream(`${name}-in`, Consumed.with(S, Serdes.Json<{ n: number }>()))
      .mapValues((v) => String(v.n))
      .to(`${name}-out`, Produced.with(S, S));
    return new KafkaStreams(b.build(), {
      applicationId: name,
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      logger: silentLogger,
      metricsRegistry: new Registry(),
      ...config,
    });
  }

  it.each(KAFKA_CLIENTS.map((c) => [c]))(
    '%s: a corrupt lz4 batch with logAndContinue goes to the dead-letter topic with its reason; the rest is processed',
    async (client) => {
      const name = `corrupt-continue-${client}`;
      await inputWithCorruptBatch(`${name}-in`);
      await createTopics(env.kafka, [{ topic: `${name}-out` }]);
      const streams = jsonApp(name, {
        kafkaClient: client,
        deserializationExceptionHandler: 'logAndContinue',
        deadLetterQueueTopic: `${name}-dlq`,
      });
      await streams.start();
      try {
        const out = await consume(env.kafka, `${name}-out`, 3);
        expect(out.map((r) => r.value!.toString())).toEqual(['1', '2', '6']);
        const dlq = await consume(env.kafka, `${name}-dlq`, 1);
        expect(dlq).toHaveLength(1);
        expect(dlq[0]!.headers).toMatchObject({
          '__streams.errors.exception': 'UndecodableBatchError',
          '__streams.errors.topic': `${name}-in`,
          '__streams.errors.partition': '0',
          '__streams.errors.offset': '4',
        });
        expect(dlq[0]!.headers['__streams.errors.message']).toMatch(
          new RegExp(`${name}-in-0 at offsets 2\\.\\.4 \\(codec lz4\\) cannot be decoded`),
        );
        await waitFor(
          async () => (await committedOffsets(env.kafka, name, `${name}-in`)).get(0) === 6,
          30000,
          'commit past the corrupt batch and the last record',
        );
        expect(streams.state()).toBe(KafkaStreamsState.RUNNING);
      } finally {
        await streams.close();
      }
    },
  );

  it.each(KAFKA_CLIENTS.map((c) => [c]))(
    '%s: a corrupt lz4 batch with logAndFail stops the client with an error naming topic, partition, offsets and codec',
    async (client) => {
      const name = `corrupt-fail-${client}`;
      await inputWithCorruptBatch(`${name}-in`);
      await createTopics(env.kafka, [{ topic: `${name}-out` }]);
      const errors: Error[] = [];
      const streams = jsonApp(name, {
        kafkaClient: client,
        uncaughtExceptionHandler: (e: Error) => {
          errors.push(e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        },
      });
      await streams.start();
      try {
        await waitFor(() => streams.state() === KafkaStreamsState.ERROR, 30000, 'ERROR state');
        const text = errors
          .map((e) => `${e.message} ${(e.cause as Error | undefined)?.message ?? ''}`)
          .join('\n');
        expect(text).toMatch(new RegExp(`${name}-in-0 at offset 4`));
        expect(text).toMatch(/offsets 2\.\.4 \(codec lz4\)/);
        const committed = (await committedOffsets(env.kafka, name, `${name}-in`)).get(0) ?? -1;
        expect(committed).toBeLessThanOrEqual(2);
      } finally {
        await streams.close();
      }
    },
  );
});
