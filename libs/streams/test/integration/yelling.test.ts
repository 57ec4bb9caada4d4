import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Printed,
  Produced,
  Serdes,
  StreamsBuilder,
} from '../../src';
import {
  committedOffsets,
  consume,
  distinctValues,
  createTopics,
  produce,
  silentLogger,
  startBroker,
  waitFor,
} from '@gmart/test-support';

jest.setTimeout(120000);

describe('yelling app against the embedded broker', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  it('upper-cases every record, commits offsets on close and reports metrics', async () => {
    await createTopics(env.kafka, [
      { topic: 'src-topic', numPartitions: 2 },
      { topic: 'out-topic', numPartitions: 2 },
    ]);
    const input = Array.from({ length: 200 }, (_, i) => ({ key: `k${i % 7}`, value: `hello ${i}` }));
    await produce(env.kafka, 'src-topic', input);

    const printed: string[] = [];
    const S = Serdes.String();
    const builder = new StreamsBuilder();
    const upper = builder.stream('src-topic', Consumed.with(S, S)).mapValues((v) => v.toUpperCase());
    upper.to('out-topic', Produced.with(S, S));
    upper.print(Printed.to<string, string>((l) => printed.push(l)).withLabel('Yelling App'));

    const registry = new Registry();
    const states: string[] = [];
    const streams = new KafkaStreams(builder.build(), {
      applicationId: 'yelling',
      bootstrapServers: env.brokers,
      commitIntervalMs: 200,
      metricsRegistry: registry,
      logger: silentLogger,
    });
    streams.setStateListener((s) => states.push(s));
    await streams.start();
    const out = await consume(env.kafka, 'out-topic', 200);
    expect(out.map((r) => r.value!.toString()).sort()).toEqual(
      input.map((r) => r.value.toUpperCase()).sort(),
    );
    for (const r of out)
      expect(input.find((i) => i.value.toUpperCase() === r.value!.toString())!.key).toBe(r.key);
    await waitFor(() => streams.state() === KafkaStreamsState.RUNNING, 30000, 'RUNNING');
    await streams.close();
    expect(streams.state()).toBe(KafkaStreamsState.NOT_RUNNING);
    expect(states).toEqual(
      expect.arrayContaining(['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']),
    );
    expect(printed).toHaveLength(200);
    expect(printed[0]).toMatch(/^\[Yelling App\]: k\d, HELLO \d+$/);
    const committed = await committedOffsets(env.kafka, 'yelling', 'src-topic');
    expect([...committed.values()].reduce((a, b) => a + b, 0)).toBe(200);
    const metrics = await registry.getMetricsAsJSON();
    const processed = metrics.find((m) => m.name === 'kafka_stream_thread_process_total')!;
    expect(processed.values.reduce((a, v) => a + Number(v.value), 0)).toBe(200);
    expect(
      metrics.find((m) => m.name === 'kafka_stream_thread_commit_total')!.values[0].value,
    ).toBeGreaterThan(0);
  });

  it('runs several stream threads in one instance (numStreamThreads), each with its own consumer', async () => {
    await createTopics(env.kafka, [
      { topic: 'mt-in', numPartitions: 4 },
      { topic: 'mt-out', numPartitions: 4 },
    ]);
    const S = Serdes.String();
    const b = new StreamsBuilder();
    b.stream('mt-in', Consumed.with(S, S))
      .mapValues((v) => v.toUpperCase())
      .to('mt-out', Produced.with(S, S));
    const registry = new Registry();
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'mt',
      bootstrapServers: env.brokers,
      numStreamThreads: 2,
      commitIntervalMs: 200,
      logger: silentLogger,
      metricsRegistry: registry,
    });
    await streams.start();
    await waitFor(() => streams.state() === KafkaStreamsState.RUNNING, 30000, 'RUNNING');
    await produce(
      env.kafka,
      'mt-in',
      Array.from({ length: 400 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    const out = await consume(env.kafka, 'mt-out', 400, 60000, distinctValues(400));
    expect(new Set(out.map((r) => r.value!.toString())).size).toBe(400);
    const processed = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'kafka_stream_thread_process_total',
    )!;
    expect(processed.values.filter((v) => Number(v.value) > 0).map((v) => v.labels.thread_id)).toHaveLength(
      2,
    );
    await streams.close();
    expect(streams.state()).toBe(KafkaStreamsState.NOT_RUNNING);
  });

  it('rejects a bad config naming the field and fails start() when a source topic is missing', async () => {
    const b = new StreamsBuilder();
    b.stream('no-such-topic').to('x');
    expect(
      () => new KafkaStreams(b.build(), { applicationId: 'a', bootstrapServers: ['nohostport'] }),
    ).toThrow(/"bootstrapServers"/);
    expect(
      () =>
        new KafkaStreams(b.build(), {
          applicationId: 'a',
          bootstrapServers: env.brokers,
          commitIntervalMs: -1,
        }),
    ).toThrow(/"commitIntervalMs"/);
    expect(
      () =>
        new KafkaStreams(b.build(), {
          applicationId: 'a',
          bootstrapServers: env.brokers,
          processingGuarantee: 'exactly_once' as never,
        }),
    ).toThrow(/"processingGuarantee"/);
    const s = new KafkaStreams(b.build(), {
      applicationId: 'missing',
      bootstrapServers: env.brokers,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await expect(s.start()).rejects.toThrow(/Source topics do not exist: no-such-topic/);
    expect(s.state()).toBe(KafkaStreamsState.ERROR);
  });
});
