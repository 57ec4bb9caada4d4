import { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Produced,
  Repartitioned,
  Serdes,
  StreamsBuilder,
  StreamThreadExceptionResponse,
} from '../../src';
import { KStreamImpl } from '../../src/kstream/internals/kstream-impl';
import { consume, createTopics, produce, silentLogger, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();

async function partitionCount(kafka: Kafka, topic: string): Promise<number | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return undefined;
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    return md.topics[0].partitions.length;
  } finally {
    await admin.disconnect();
  }
}

describe('internal topics and thread replacement against the embedded broker', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  it('creates <applicationId>-<name>-repartition topics with the upstream partition count and routes by the new key', async () => {
    await createTopics(env.kafka, [
      { topic: 'rp-in', numPartitions: 4 },
      { topic: 'rp-out', numPartitions: 4 },
    ]);
    const b = new StreamsBuilder();
    const keyed = b.stream('rp-in', Consumed.with(S, S)).selectKey((_k, v) => v.split(':')[0]) as KStreamImpl<
      string,
      string
    >;
    keyed
      .repartitionIfRequired('by-customer', S, S)
      .mapValues((v) => v.toUpperCase())
      .to('rp-out', Produced.with(S, S));
    b.stream('rp-in2', Consumed.with(S, S))
      .repartition(Repartitioned.as<string, string>('fixed').withNumberOfPartitions(2))
      .to('rp-out', Produced.with(S, S));
    await createTopics(env.kafka, [{ topic: 'rp-in2', numPartitions: 1 }]);
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'rp',
      bootstrapServers: env.brokers,
      commitIntervalMs: 200,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await streams.start();
    expect(await partitionCount(env.kafka, 'rp-by-customer-repartition')).toBe(4);
    expect(await partitionCount(env.kafka, 'rp-fixed-repartition')).toBe(2);
    await produce(
      env.kafka,
      'rp-in',
      Array.from({ length: 100 }, (_, i) => ({ key: `r${i}`, value: `c${i % 5}:item${i}` })),
    );
    const out = await consume(env.kafka, 'rp-out', 100);
    for (const r of out) expect(r.value!.toString().startsWith(r.key!.toUpperCase())).toBe(true);
    const rep = await consume(env.kafka, 'rp-by-customer-repartition', 100);
    const partOf = new Map<string, number>();
    for (const r of rep) {
      expect(partOf.get(r.key!) ?? r.partition).toBe(r.partition);
      partOf.set(r.key!, r.partition);
    }
    await streams.close();
  });

  it('checks co-partitioning before processing, naming the topics and their partition counts', async () => {
    await createTopics(env.kafka, [
      { topic: 'cp-a', numPartitions: 2 },
      { topic: 'cp-b', numPartitions: 3 },
    ]);
    const b = new StreamsBuilder();
    b.stream('cp-a').merge(b.stream('cp-b')).to('cp-out');
    const topology = b.build();
    topology.internal.copartitionSources(['cp-a', 'cp-b']);
    const streams = new KafkaStreams(topology, {
      applicationId: 'cp',
      bootstrapServers: env.brokers,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await expect(streams.start()).rejects.toThrow(
      'Topics must be co-partitioned (same partition count) but are not: cp-a=2, cp-b=3',
    );
    expect(streams.state()).toBe(KafkaStreamsState.ERROR);
  });

  it('SHUTDOWN_APPLICATION stops every instance of the application (both end in ERROR)', async () => {
    await createTopics(env.kafka, [
      { topic: 'sa-in', numPartitions: 2 },
      { topic: 'sa-out', numPartitions: 2 },
    ]);
    const failures: string[] = [];
    // Only the instance that owns the poison record's partition first fails; the other one could
    // process it, so it can only reach ERROR through the shutdown signal.
    let poisonOwner: string | undefined;
    const make = (name: string) => {
      const b = new StreamsBuilder();
      b.stream('sa-in', Consumed.with(S, S))
        .mapValues((v) => {
          if (v === 'fatal' && (poisonOwner ?? (poisonOwner = name)) === name)
            throw new Error('unrecoverable');
          return v;
        })
        .to('sa-out', Produced.with(S, S));
      const s = new KafkaStreams(b.build(), {
        applicationId: 'sa',
        bootstrapServers: env.brokers,
        commitIntervalMs: 100,
        logger: silentLogger,
        metricsRegistry: new Registry(),
        uncaughtExceptionHandler: () => {
          failures.push(name);
          return StreamThreadExceptionResponse.SHUTDOWN_APPLICATION;
        },
      });
      return s;
    };
    const a = make('a');
    const b = make('b');
    await a.start();
    await b.start();
    await waitFor(
      () => a.state() === KafkaStreamsState.RUNNING && b.state() === KafkaStreamsState.RUNNING,
      60000,
      'both RUNNING',
    );
    await produce(env.kafka, 'sa-in', [
      { key: 'x', value: 'ok' },
      { key: 'y', value: 'ok' },
      { key: 'x', value: 'fatal' },
    ]);
    await waitFor(
      () => a.state() === KafkaStreamsState.ERROR && b.state() === KafkaStreamsState.ERROR,
      90000,
      'both ERROR',
    );
    expect(failures).toEqual([poisonOwner]);
    await a.close();
    await b.close();
  });

  it('REPLACE_THREAD restarts a failed thread, which resumes from the last commit', async () => {
    await createTopics(env.kafka, [{ topic: 'rt-in' }, { topic: 'rt-out' }]);
    let failures = 0;
    const b = new StreamsBuilder();
    b.stream('rt-in', Consumed.with(S, S))
      .mapValues((v) => {
        if (v === 'boom' && failures === 0) {
          failures++;
          throw new Error('transient');
        }
        return v.toUpperCase();
      })
      .to('rt-out', Produced.with(S, S));
    const responses: Error[] = [];
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'rt',
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      logger: silentLogger,
      metricsRegistry: new Registry(),
      consumer: { sessionTimeout: 10000, heartbeatInterval: 1000 },
    });
    streams.setUncaughtExceptionHandler((e) => {
      responses.push(e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    await streams.start();
    await produce(
      env.kafka,
      'rt-in',
      ['a', 'boom', 'c'].map((value) => ({ key: value, value })),
    );
    const out = await consume(env.kafka, 'rt-out', 3, 90000);
    expect(new Set(out.map((r) => r.value!.toString()))).toEqual(new Set(['A', 'BOOM', 'C']));
    expect(responses).toHaveLength(1);
    expect(responses[0].message).toMatch(/node "KSTREAM-MAPVALUES-0000000001".*offset 1: transient/);
    await waitFor(() => streams.state() === KafkaStreamsState.RUNNING, 60000, 'RUNNING again');
    await streams.close();
    expect(streams.state()).toBe(KafkaStreamsState.NOT_RUNNING);
  });
});

describe('heartbeats during long processing', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  it('a batch taking longer than the session timeout does not get the member kicked out', async () => {
    await createTopics(env.kafka, [{ topic: 'slow-in' }, { topic: 'slow-out' }]);
    await produce(
      env.kafka,
      'slow-in',
      Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    const b = new StreamsBuilder();
    b.stream('slow-in', Consumed.with(S, S))
      .mapValues((v) => {
        const until = Date.now() + 200;
        while (Date.now() < until);
        return v;
      })
      .to('slow-out', Produced.with(S, S));
    const registry = new Registry();
    const states: string[] = [];
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'slow',
      bootstrapServers: env.brokers,
      commitIntervalMs: 60000,
      logger: silentLogger,
      metricsRegistry: registry,
      consumer: { sessionTimeout: 6000, heartbeatInterval: 500 },
    });
    await streams.start();
    await waitFor(() => streams.state() === KafkaStreamsState.RUNNING, 30000, 'RUNNING');
    streams['listener'] = (s: string) => states.push(s);
    const out = await consume(env.kafka, 'slow-out', 40, 60000);
    expect(out).toHaveLength(40);
    expect(states).not.toContain('REBALANCING');
    const rebalances = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'kafka_stream_rebalances_total',
    )!;
    // One group join at start, none after.
    expect(rebalances.values.reduce((a, v) => a + Number(v.value), 0)).toBe(1);
    await streams.close();
  });
});
