import { Registry } from 'prom-client';
import { Consumed, KafkaStreams, KafkaStreamsState, Produced, Serdes, StreamsBuilder } from '../../src';
import {
  consume,
  createTopics,
  distinctValues,
  killChildApps,
  produce,
  silentLogger,
  startBroker,
  waitFor,
} from '@gmart/test-support';
import { startChildHelper } from '../helpers/child-helper';

jest.setTimeout(180000);
const S = Serdes.String();

describe('several instances and crashes against the embedded broker', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await killChildApps();
    await env?.broker.stop();
  });

  it('two instances share a 6-partition topic: every record processed, ordered per key', async () => {
    await createTopics(env.kafka, [
      { topic: 'six-in', numPartitions: 6 },
      { topic: 'six-out', numPartitions: 6 },
    ]);
    const make = () => {
      const b = new StreamsBuilder();
      b.stream('six-in', Consumed.with(S, S))
        .mapValues((v) => `${v}!`)
        .to('six-out', Produced.with(S, S));
      const registry = new Registry();
      return {
        registry,
        streams: new KafkaStreams(b.build(), {
          applicationId: 'six',
          bootstrapServers: env.brokers,
          commitIntervalMs: 200,
          logger: silentLogger,
          metricsRegistry: registry,
        }),
      };
    };
    const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
    const batch = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => ({
        key: keys[(from + i) % keys.length],
        value: String(from + i),
      }));
    const a = make();
    await a.streams.start();
    await produce(env.kafka, 'six-in', batch(0, 3000));
    const b = make();
    await b.streams.start();
    await waitFor(
      () =>
        a.streams.state() === KafkaStreamsState.RUNNING && b.streams.state() === KafkaStreamsState.RUNNING,
      60000,
      'both RUNNING',
    );
    await produce(env.kafka, 'six-in', batch(3000, 6000));
    const out = await consume(env.kafka, 'six-out', 6000, 90000, distinctValues(6000));
    const seen = new Set(out.map((r) => r.value!.toString()));
    for (let i = 0; i < 6000; i++) expect(seen.has(`${i}!`)).toBe(true);
    // Per key: first occurrences come in input order, and each key stays in one partition.
    const byKey = new Map<string, number[]>();
    const partitionOf = new Map<string, number>();
    for (const r of out.sort((x, y) => x.partition - y.partition || x.offset - y.offset)) {
      const n = Number(r.value!.toString().slice(0, -1));
      const list = byKey.get(r.key!) ?? [];
      if (!list.includes(n)) list.push(n);
      byKey.set(r.key!, list);
      expect(partitionOf.get(r.key!) ?? r.partition).toBe(r.partition);
      partitionOf.set(r.key!, r.partition);
    }
    for (const list of byKey.values()) expect(list).toEqual([...list].sort((x, y) => x - y));
    const processed = async (r: Registry) =>
      (await r.getMetricsAsJSON())
        .find((m) => m.name === 'kafka_stream_thread_process_total')!
        .values.reduce((s, v) => s + Number(v.value), 0);
    expect(await processed(a.registry)).toBeGreaterThan(0);
    expect(await processed(b.registry)).toBeGreaterThan(0);
    const lag = (await a.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'kafka_consumer_fetch_manager_records_lag',
    )!;
    expect(lag.values.length).toBeGreaterThan(0);
    expect(lag.values.length).toBeLessThan(6);
    await Promise.all([a.streams.close(), b.streams.close()]);
  });

  it('an instance killed with SIGKILL mid-stream and restarted loses no record', async () => {
    await createTopics(env.kafka, [
      { topic: 'crash-in', numPartitions: 3 },
      { topic: 'crash-out', numPartitions: 3 },
    ]);
    const spawnApp = () => {
      const app = startChildHelper('app-child', [
        env.brokers.join(','),
        'crash-app',
        'crash-in',
        'crash-out',
      ]);
      return { app, started: () => app.printed('STARTED') > 0 };
    };
    const total = 20000;
    const records = Array.from({ length: total }, (_, i) => ({ key: `k${i % 97}`, value: `v${i}` }));
    await produce(env.kafka, 'crash-in', records.slice(0, 10000));
    const first = spawnApp();
    await waitFor(first.started, 60000, 'first child started');
    // Keep producing while the first instance processes; kill it once outputs flow.
    const producing = produce(env.kafka, 'crash-in', records.slice(10000));
    await consume(env.kafka, 'crash-out', 1000, 60000);
    await first.app.kill();
    await producing;
    const second = spawnApp();
    await waitFor(second.started, 60000, 'second child started');
    const values = new Set<string>();
    // Wait for every distinct value (duplicates are allowed under at-least-once); a timeout fails the test.
    await consume(env.kafka, 'crash-out', total, 120000, distinctValues(total, values)).catch(
      () => undefined,
    );
    const missing = records.filter((r) => !values.has(`${r.value}:done`));
    expect(missing).toEqual([]);
    await second.app.kill('SIGTERM');
  });
});
