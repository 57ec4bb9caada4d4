import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  LoggingConsumerInterceptor,
  LoggingProducerInterceptor,
  MetricsConsumerInterceptor,
  MetricsProducerInterceptor,
  Produced,
  Serdes,
  StreamsConfig,
} from '../../src';
import { StreamsBuilder } from '../../src';
import {
  committedOffsets,
  consume,
  createTopics,
  produce,
  silentLogger,
  startBroker,
  waitFor,
} from '@gmart/test-support';

jest.setTimeout(120000);

const S = Serdes.String();

describe('error handlers against the embedded broker', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  async function runJsonApp(name: string, config: Partial<StreamsConfig>, input: string[]) {
    await createTopics(env.kafka, [{ topic: `${name}-in` }, { topic: `${name}-out` }]);
    await produce(
      env.kafka,
      `${name}-in`,
      input.map((value, i) => ({ key: `k${i}`, value })),
    );
    const b = new StreamsBuilder();
    b.stream(`${name}-in`, Consumed.with(S, Serdes.Json<{ n: number }>()))
      .mapValues((v) => String(v.n * 2))
      .to(`${name}-out`, Produced.with(S, S));
    const registry = new Registry();
    const streams = new KafkaStreams(b.build(), {
      applicationId: name,
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      logger: silentLogger,
      metricsRegistry: registry,
      ...config,
    });
    await streams.start();
    return { streams, registry };
  }

  it('poison pill with logAndContinue: skipped, sent to the dead-letter topic, processing goes on', async () => {
    const { streams, registry } = await runJsonApp(
      'pp-continue',
      { deserializationExceptionHandler: 'logAndContinue', deadLetterQueueTopic: 'pp-dlq' },
      ['{"n":1}', 'not-json', '{"n":3}'],
    );
    const out = await consume(env.kafka, 'pp-continue-out', 2);
    expect(out.map((r) => r.value!.toString()).sort()).toEqual(['2', '6']);
    const dlq = await consume(env.kafka, 'pp-dlq', 1);
    expect(dlq[0].value!.toString()).toBe('not-json');
    expect(dlq[0].key).toBe('k1');
    expect(dlq[0].headers).toMatchObject({
      '__streams.errors.topic': 'pp-continue-in',
      '__streams.errors.partition': '0',
      '__streams.errors.offset': '1',
      '__streams.errors.exception': 'SerializationError',
    });
    await waitFor(
      async () => (await committedOffsets(env.kafka, 'pp-continue', 'pp-continue-in')).get(0) === 3,
      30000,
      'commit past the poison pill',
    );
    await streams.close();
    const dropped = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'kafka_stream_dropped_records_total',
    )!;
    // Every reason's series exists from the start (at 0), so the first drop shows in rate(); only this one moved.
    const byReason = Object.fromEntries(dropped.values.map((v) => [String(v.labels.reason), v.value]));
    expect(byReason).toEqual({
      deserialization_error: 1,
      processing_error: 0,
      production_error: 0,
      serialization_error: 0,
      invalid_timestamp: 0,
      late: 0,
      null_key_or_value: 0,
      stale_fk_response: 0,
    });
  });

  it('poison pill with logAndFail (default): the client stops in ERROR and never commits past it', async () => {
    const { streams } = await runJsonApp('pp-fail', {}, ['{"n":1}', 'not-json', '{"n":3}']);
    await waitFor(() => streams.state() === KafkaStreamsState.ERROR, 30000, 'ERROR state');
    const committed = (await committedOffsets(env.kafka, 'pp-fail', 'pp-fail-in')).get(0)!;
    expect(committed).toBeLessThanOrEqual(1);
    await streams.close();
    expect(streams.state()).toBe(KafkaStreamsState.ERROR);
  });

  it('poison pill with a custom handler: the handler decides per record', async () => {
    const offsets: number[] = [];
    const { streams } = await runJsonApp(
      'pp-custom',
      {
        deserializationExceptionHandler: {
          handle: (ctx) => {
            offsets.push(ctx.offset);
            return ctx.offset < 2 ? ('CONTINUE' as never) : ('FAIL' as never);
          },
        },
      },
      ['bad', '{"n":1}', 'bad'],
    );
    await waitFor(() => streams.state() === KafkaStreamsState.ERROR, 30000, 'ERROR state');
    expect(offsets).toEqual([0, 2]);
    await streams.close();
  });

  async function runTooLarge(name: string, config: Partial<StreamsConfig>) {
    await createTopics(env.kafka, [
      { topic: `${name}-in` },
      { topic: `${name}-out`, config: { 'max.message.bytes': '2000' } },
    ]);
    await produce(
      env.kafka,
      `${name}-in`,
      ['a', 'big', 'b'].map((value, i) => ({ key: `k${i}`, value })),
    );
    const b = new StreamsBuilder();
    b.stream(`${name}-in`, Consumed.with(S, S))
      .mapValues((v) => (v === 'big' ? 'X'.repeat(10000) : v.toUpperCase()))
      .to(`${name}-out`, Produced.with(S, S));
    const registry = new Registry();
    const logs: string[] = [];
    const logger = {
      ...silentLogger,
      debug: (m: string, f?: object) => logs.push(m + JSON.stringify(f)),
      warn: (m: string, f?: object) => logs.push(m + JSON.stringify(f)),
    };
    const streams = new KafkaStreams(b.build(), {
      applicationId: name,
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      logger,
      metricsRegistry: registry,
      consumerInterceptors: [
        new LoggingConsumerInterceptor(logger),
        new MetricsConsumerInterceptor(name, registry),
      ],
      producerInterceptors: [
        new LoggingProducerInterceptor(logger),
        new MetricsProducerInterceptor(name, registry),
      ],
      ...config,
    });
    await streams.start();
    return { streams, registry, logs };
  }

  it('too-large output with productionExceptionHandler "continue": dropped, the rest is written', async () => {
    const { streams, registry, logs } = await runTooLarge('big-continue', {
      productionExceptionHandler: 'continue',
    });
    const out = await consume(env.kafka, 'big-continue-out', 2);
    expect(out.map((r) => r.value!.toString()).sort()).toEqual(['A', 'B']);
    await waitFor(
      async () => (await committedOffsets(env.kafka, 'big-continue', 'big-continue-in')).get(0) === 3,
      30000,
      'commit',
    );
    expect(streams.state()).toBe(KafkaStreamsState.RUNNING);
    await streams.close();
    const m = await registry.getMetricsAsJSON();
    const sum = (name: string) =>
      m.find((x) => x.name === name)!.values.reduce((a, v) => a + Number(v.value), 0);
    expect(sum('kafka_stream_dropped_records_total')).toBe(1);
    expect(sum('kafka_producer_record_error_total')).toBe(1);
    expect(sum('kafka_producer_record_send_total')).toBe(3);
    expect(sum('kafka_consumer_interceptor_records_total')).toBe(3);
    expect(logs.join('\n')).toContain('Record send failed');
    expect(logs.join('\n')).toContain('Committed offsets');
    expect(logs.join('\n')).not.toContain('XXXX');
  });

  it('too-large output with the default handler ("fail"): ERROR, offsets not committed past it', async () => {
    const { streams } = await runTooLarge('big-fail', {});
    await waitFor(() => streams.state() === KafkaStreamsState.ERROR, 30000, 'ERROR state');
    const committed = (await committedOffsets(env.kafka, 'big-fail', 'big-fail-in')).get(0)!;
    expect(committed).toBeLessThanOrEqual(1);
    await streams.close();
  });
});
