/**
 * The runtime on the @platformatic/kafka client against the embedded broker: a stateful
 * application end to end, static membership (a restart within the session timeout does not
 * rebalance) and cooperative rebalancing (partitions that stay with an instance keep processing
 * while another instance joins; eager stops them; an instance leaving hands its partitions and
 * their state to the survivor). The pause itself is measured by `npm run bench:clients`.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Materialized,
  Produced,
  Serdes,
  StreamsBuilder,
  StreamsConfig,
} from '../../src';
import { StreamsConfigError } from '../../src/errors/config-error';
import { consume, createTopics, produce, silentLogger, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();
const FAST = { sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 6000, maxWaitTimeInMs: 100 };

describe('the runtime on the platformatic client', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const started: KafkaStreams[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close().catch(() => undefined)));
    await env?.broker.stop();
  });

  const base = (applicationId: string): StreamsConfig => ({
    applicationId,
    bootstrapServers: env.brokers,
    kafkaClient: 'platformatic',
    commitIntervalMs: 200,
    consumer: FAST,
    logger: silentLogger,
    metricsRegistry: new Registry(),
    stateDir: path.join(os.tmpdir(), `gmart-platformatic-${applicationId}-${process.pid}`),
  });

  it('refuses static membership and cooperative rebalancing on kafkajs, naming the field', () => {
    const b = new StreamsBuilder();
    b.stream('x').to('y');
    const t = b.build();
    const kafkajs = { ...base('refuse'), kafkaClient: 'kafkajs' as const };
    expect(() => new KafkaStreams(t, { ...kafkajs, groupInstanceId: 'a' })).toThrow(StreamsConfigError);
    expect(() => new KafkaStreams(t, { ...kafkajs, groupInstanceId: 'a' })).toThrow(/groupInstanceId/);
    expect(() => new KafkaStreams(t, { ...kafkajs, rebalanceProtocol: 'cooperative' })).toThrow(
      /rebalanceProtocol/,
    );
    expect(() => new KafkaStreams(t, { ...base('r'), kafkaClient: 'other' as never })).toThrow(/kafkaClient/);
    expect(() => new KafkaStreams(t, { ...base('r'), groupInstanceId: 'bad id' })).toThrow(/groupInstanceId/);
  });

  it('counts words per key with a changelogged store, output matching a model of the input', async () => {
    await createTopics(env.kafka, [
      { topic: 'plt-words', numPartitions: 3 },
      { topic: 'plt-counts', numPartitions: 3 },
    ]);
    const input = Array.from({ length: 300 }, (_, i) => ({ key: `k${(i * 7) % 11}`, value: `w${i}` }));
    await produce(env.kafka, 'plt-words', input);
    const b = new StreamsBuilder();
    b.stream('plt-words', Consumed.with(S, S))
      .groupByKey()
      .count(Materialized.as('plt-word-counts'))
      .toStream()
      .mapValues((n) => String(n))
      .to('plt-counts', Produced.with(S, S));
    const streams = new KafkaStreams(b.build(), { ...base('plt-count'), groupInstanceId: 'count-a' });
    started.push(streams);
    await streams.start();
    // The model: the last count per key is its number of records.
    const expected = new Map<string, number>();
    for (const r of input) expected.set(r.key, (expected.get(r.key) ?? 0) + 1);
    const last = new Map<string, number>();
    await consume(env.kafka, 'plt-counts', 1, 60000, (rs) => {
      for (const r of rs) last.set(r.key!, Math.max(last.get(r.key!) ?? 0, Number(r.value!.toString())));
      return [...expected].every(([k, n]) => last.get(k) === n);
    });
    expect(last).toEqual(expected);
    await streams.close();
  });

  it('static membership: an instance restarting within the session timeout gets its tasks back without a rebalance', async () => {
    await createTopics(env.kafka, [
      { topic: 'plt-static-in', numPartitions: 4 },
      { topic: 'plt-static-out', numPartitions: 4 },
    ]);
    const make = (instance: string) => {
      const b = new StreamsBuilder();
      b.stream('plt-static-in', Consumed.with(S, S))
        .mapValues((v) => `${v}:${instance}`)
        .to('plt-static-out', Produced.with(S, S));
      const s = new KafkaStreams(b.build(), {
        ...base('plt-static'),
        groupInstanceId: instance,
        consumer: { ...FAST, sessionTimeout: 20000, rebalanceTimeout: 20000 },
      });
      started.push(s);
      return s;
    };
    const rebalancesOf = (s: KafkaStreams) => {
      let n = 0;
      s.setStateListener((next, prev) => {
        if (next === KafkaStreamsState.REBALANCING && prev === KafkaStreamsState.RUNNING) n++;
      });
      return () => n;
    };
    const a = make('inst-a');
    const b = make('inst-b');
    const bRebalances = rebalancesOf(b);
    await a.start();
    await b.start();
    const both = () => a.state() === KafkaStreamsState.RUNNING && b.state() === KafkaStreamsState.RUNNING;
    await waitFor(both, 60000, 'both RUNNING');
    const owned = async () => {
      const admin = env.kafka.admin();
      await admin.connect();
      try {
        const { groups } = await admin.describeGroups(['plt-static']);
        return groups[0];
      } finally {
        await admin.disconnect();
      }
    };
    // Wait for a stable group of the two.
    await waitFor(
      async () => {
        const g = await owned();
        return g.state === 'Stable' && g.members.length === 2;
      },
      60000,
      'stable group of two',
    );
    const before = (await owned()).members.map((m) => m.memberId).sort();
    const bBefore = bRebalances();
    // Restart a: closed without leaving the group, back within the session timeout.
    await a.close();
    const a2 = make('inst-a');
    const a2Rebalances = rebalancesOf(a2);
    await a2.start();
    await waitFor(() => a2.state() === KafkaStreamsState.RUNNING, 60000, 'restarted a RUNNING');
    await produce(
      env.kafka,
      'plt-static-in',
      Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    const out = await consume(env.kafka, 'plt-static-out', 40, 60000);
    expect(new Set(out.map((r) => r.value!.toString().split(':')[0])).size).toBe(40);
    // The static member took its old place (KIP-345: under a new member id, as Kafka does), b kept
    // its membership, and neither went back to rebalancing.
    const g = await owned();
    expect(g.state).toBe('Stable');
    const after = g.members.map((m) => m.memberId).sort();
    expect(after).toHaveLength(2);
    expect(after[0]).toMatch(/^inst-a-1-/);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(bRebalances()).toBe(bBefore);
    expect(a2Rebalances()).toBe(0);
    await Promise.all([a2.close(), b.close()]);
  });

  it.each([['cooperative' as const], ['eager' as const]])(
    '%s: while a second instance joins, the first processes the partitions it keeps only when cooperative',
    async (protocol) => {
      const topicIn = `plt-${protocol}-in`;
      await createTopics(env.kafka, [
        { topic: topicIn, numPartitions: 4 },
        { topic: `plt-${protocol}-out`, numPartitions: 4 },
      ]);
      /** Per instance: partitions of records it processed while it was REBALANCING. */
      const whileRebalancing = new Map<string, number[]>();
      const make = (name: string) => {
        let state = KafkaStreamsState.CREATED;
        const b = new StreamsBuilder();
        b.stream(topicIn, Consumed.with(S, S))
          .peek((k) => {
            if (state === KafkaStreamsState.REBALANCING && k !== null)
              whileRebalancing.get(name)!.push(Number(k.slice(1)) % 4);
          })
          .to(`plt-${protocol}-out`, Produced.with(S, S));
        const s = new KafkaStreams(b.build(), {
          ...base(`plt-${protocol}`),
          rebalanceProtocol: protocol,
          applicationServer: `${name}:1`,
        });
        whileRebalancing.set(name, []);
        s.setStateListener((next) => (state = next));
        started.push(s);
        return s;
      };
      const a = make('a');
      await a.start();
      await waitFor(() => a.state() === KafkaStreamsState.RUNNING, 60000, 'a RUNNING');
      // Keep records flowing to every partition (key p<n> goes to partition n % 4 below).
      let stop = false;
      const producer = env.kafka.producer();
      await producer.connect();
      const feeding = (async () => {
        for (let i = 0; !stop; i++) {
          await producer.send({
            topic: topicIn,
            messages: [0, 1, 2, 3].map((p) => ({ key: `p${i * 4 + p}`, value: String(i), partition: p })),
          });
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      await waitFor(async () => (await env.kafka.admin().fetchTopicOffsets(topicIn)).length === 4, 10000);
      const b = make('b');
      await b.start();
      await waitFor(
        () => a.state() === KafkaStreamsState.RUNNING && b.state() === KafkaStreamsState.RUNNING,
        60000,
        'both RUNNING',
      );
      // Let a settle on its final assignment, then stop the input.
      const partitionsOf = (s: KafkaStreams, host: string) =>
        s
          .allMetadataForStore()
          .filter((m) => m.hostInfo.host === host)
          .flatMap((m) => m.topicPartitions.filter((tp) => tp.topic === topicIn).map((tp) => tp.partition));
      await waitFor(
        () => partitionsOf(a, 'a').length === 2 && partitionsOf(b, 'b').length === 2,
        60000,
        'two partitions each',
      );
      stop = true;
      await feeding;
      await producer.disconnect();
      const kept = new Set(partitionsOf(a, 'a'));
      const processed = whileRebalancing.get('a')!.filter((p) => kept.has(p));
      if (protocol === 'cooperative') expect(processed.length).toBeGreaterThan(0);
      else expect(processed).toEqual([]);
      await Promise.all([a.close(), b.close()]);
    },
  );
  it('cooperative scale-in: an instance leaves, the survivor takes its partitions and state, counts equal a model', async () => {
    const topicIn = 'plt-scale-in-in';
    await createTopics(env.kafka, [
      { topic: topicIn, numPartitions: 4 },
      { topic: 'plt-scale-in-out', numPartitions: 4 },
    ]);
    /** Per instance: the input partitions of the records it processed (key `k<n>` is on partition n % 4). */
    const seen = new Map<string, number[]>();
    const make = (name: string) => {
      seen.set(name, []);
      const b = new StreamsBuilder();
      b.stream(topicIn, Consumed.with(S, S))
        .peek((k) => seen.get(name)!.push(Number(k!.slice(1)) % 4))
        .groupByKey()
        .count(Materialized.as('plt-scale-in-counts'))
        .toStream()
        .mapValues((n) => String(n))
        .to('plt-scale-in-out', Produced.with(S, S));
      const s = new KafkaStreams(b.build(), {
        ...base('plt-scale-in'),
        rebalanceProtocol: 'cooperative',
        applicationServer: `${name}:1`,
      });
      started.push(s);
      return s;
    };
    const partitionsOf = (s: KafkaStreams, host: string) =>
      s
        .allMetadataForStore()
        .filter((m) => m.hostInfo.host === host)
        .flatMap((m) => m.topicPartitions.filter((tp) => tp.topic === topicIn).map((tp) => tp.partition))
        .sort();
    const records = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, j) => {
        const i = from + j;
        return { key: `k${i % 12}`, value: `v${i}`, partition: (i % 12) % 4 };
      });
    /** The model: the count of each key is its number of input records. */
    const model = (input: Array<{ key: string }>) => {
      const m = new Map<string, number>();
      for (const r of input) m.set(r.key, (m.get(r.key) ?? 0) + 1);
      return m;
    };
    /** Reads the output until every key's count reached the model; returns the highest count per key. */
    const counts = async (expected: Map<string, number>) => {
      const last = new Map<string, number>();
      await consume(env.kafka, 'plt-scale-in-out', 1, 60000, (rs) => {
        for (const r of rs) last.set(r.key!, Math.max(last.get(r.key!) ?? 0, Number(r.value!.toString())));
        return [...expected].every(([k, n]) => (last.get(k) ?? 0) >= n);
      });
      return last;
    };
    const a = make('a');
    const b = make('b');
    await a.start();
    await b.start();
    await waitFor(
      () =>
        a.state() === KafkaStreamsState.RUNNING &&
        b.state() === KafkaStreamsState.RUNNING &&
        partitionsOf(a, 'a').length === 2 &&
        partitionsOf(b, 'b').length === 2,
      60000,
      'two partitions each',
    );
    const first = records(0, 120);
    await produce(env.kafka, topicIn, first);
    expect(await counts(model(first))).toEqual(model(first));
    const bPartitions = partitionsOf(b, 'b');
    expect(new Set(seen.get('b'))).toEqual(new Set(bPartitions));

    // b leaves; a takes its partitions (and their counts, from the changelog) and processes the rest.
    await b.close();
    await waitFor(
      () => a.state() === KafkaStreamsState.RUNNING && partitionsOf(a, 'a').length === 4,
      60000,
      'a alone with four partitions',
    );
    const aBefore = seen.get('a')!.length;
    const all = [...first, ...records(120, 240)];
    await produce(env.kafka, topicIn, all.slice(120));
    expect(await counts(model(all))).toEqual(model(all));
    expect(new Set(seen.get('a')!.slice(aBefore))).toEqual(new Set([0, 1, 2, 3]));
    await a.close();
  });
});
