import { Registry } from 'prom-client';
import {
  Consumed,
  JoinWindows,
  KafkaStreams,
  KafkaStreamsState,
  Produced,
  Repartitioned,
  Serdes,
  StreamJoined,
  StreamsBuilder,
  TopologyError,
} from '../../src';
import { consume, createTopics, silentLogger, startBroker } from '@gmart/test-support';
import { listTopics } from '../helpers/admin-queries';

jest.setTimeout(120000);
const S = Serdes.String();

describe('stream-stream join against the embedded broker', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
    await createTopics(env.kafka, [
      { topic: 'sj-a', numPartitions: 2 },
      { topic: 'sj-b', numPartitions: 3 },
      { topic: 'sj-out', numPartitions: 2 },
    ]);
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  const config = (applicationId: string) => ({
    applicationId,
    bootstrapServers: env.brokers,
    commitIntervalMs: 200,
    logger: silentLogger,
    metricsRegistry: new Registry(),
  });

  it('a join of topics with different partition counts fails at start naming both; repartition() fixes it', async () => {
    const bad = new StreamsBuilder();
    bad
      .stream('sj-a', Consumed.with(S, S))
      .join(
        bad.stream('sj-b', Consumed.with(S, S)),
        (a, b) => `${a}+${b}`,
        JoinWindows.ofTimeDifferenceWithNoGrace(60_000),
      )
      .to('sj-out', Produced.with(S, S));
    const failing = new KafkaStreams(bad.build(), config('sj-bad'));
    const err = await failing.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TopologyError);
    expect(String((err as Error).message)).toContain('sj-a=2, sj-b=3');
    expect(failing.state()).toBe(KafkaStreamsState.ERROR);

    const good = new StreamsBuilder();
    good
      .stream('sj-a', Consumed.with(S, S))
      .join(
        good
          .stream('sj-b', Consumed.with(S, S))
          .repartition(Repartitioned.withNumberOfPartitions<string, string>(2)),
        (a, b) => `${a}+${b}`,
        JoinWindows.ofTimeDifferenceWithNoGrace(60_000),
        StreamJoined.with(S, S, S),
      )
      .to('sj-out', Produced.with(S, S));
    const streams = new KafkaStreams(good.build(), config('sj-good'));
    await streams.start();
    try {
      const p = env.kafka.producer();
      await p.connect();
      const now = Date.now();
      await p.send({
        topic: 'sj-b',
        messages: Array.from({ length: 30 }, (_, i) => ({
          key: `k${i}`,
          value: `b${i}`,
          timestamp: String(now),
        })),
      });
      await p.send({
        topic: 'sj-a',
        messages: Array.from({ length: 30 }, (_, i) => ({
          key: `k${i}`,
          value: `a${i}`,
          timestamp: String(now + 1000),
        })),
      });
      await p.disconnect();
      const out = await consume(env.kafka, 'sj-out', 30);
      expect(out.map((r) => `${r.key}=${r.value!.toString()}`).sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => `k${i}=a${i}+b${i}`).sort(),
      );
      const names = await listTopics(env.kafka);
      // Window stores of both sides have changelogs.
      expect(
        names.filter((t) => t.startsWith('sj-good-KSTREAM-JOIN') && t.endsWith('-store-changelog')),
      ).toHaveLength(2);
      expect(names.some((t) => /^sj-good-KSTREAM-REPARTITION-\d{10}-repartition$/.test(t))).toBe(true);
    } finally {
      await streams.close();
    }
  });
});
