/**
 * The `rebalance` case of `npm run bench:clients`: how long the partitions an instance keeps stop
 * being processed while a second instance joins the group and later leaves it, eager against
 * cooperative (KIP-429) rebalancing, both on the platformatic client (kafkajs rebalances eagerly
 * only).
 *
 * Instance A runs alone on a 6-partition topic fed at a steady rate (one record per partition every
 * 10 ms); B joins; once each holds 3 partitions and has processed for a second, B closes (leaves);
 * then A holds all 6 again. A's kept partitions are the 3 it holds with B in the group. The pause of
 * a step is the longest gap between two records A processed from a kept partition, from the step's
 * start until the group settled (a record's processing time is taken in the topology, per
 * partition); the line also gives the longest such gap in the second before the join (the steady
 * cadence: fetch wait and batching).
 */
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Produced,
  Serdes,
  StreamsBuilder,
  type RebalanceProtocol,
} from '@gmart/streams';
import { until } from './raw-clients';

const PARTITIONS = 6;
const FEED_EVERY_MS = 10;
const SETTLE_MS = 1000;
const CONSUMER = {
  sessionTimeout: 10000,
  heartbeatInterval: 500,
  rebalanceTimeout: 10000,
  maxWaitTimeInMs: 50,
};
const silent = { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };

/** Pauses of one run (ms). */
export interface RebalancePauses {
  /** Longest gap of a kept partition in the second before B joins. */
  steady: number;
  join: number;
  leave: number;
}

/** Longest gap between consecutive processing times of `partitions` within [from, to]. */
function longestGap(times: Map<number, number[]>, partitions: number[], from: number, to: number): number {
  let worst = 0;
  for (const p of partitions) {
    const ts = (times.get(p) ?? []).filter((t) => t >= from && t <= to);
    // The window's edges count as processing times: a partition idle over the whole window paused for all of it.
    const points = [from, ...ts, to];
    for (let i = 1; i < points.length; i++) worst = Math.max(worst, points[i]! - points[i - 1]!);
  }
  return worst;
}

/** One run: A alone, B joins, B leaves; the kept partitions' pauses. */
export async function rebalancePauses(
  brokers: string[],
  protocol: RebalanceProtocol,
  tag: string,
): Promise<RebalancePauses> {
  const kafka = new Kafka({ clientId: 'bench-rebalance', brokers, logLevel: logLevel.NOTHING });
  const input = `rb-${tag}-in`;
  const output = `rb-${tag}-out`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [input, output].map((topic) => ({ topic, numPartitions: PARTITIONS })),
  });
  await admin.disconnect();
  const S = Serdes.String();
  /** Instance -> partition -> Date.now() of each record it processed. */
  const processed = new Map<string, Map<number, number[]>>();
  const make = (name: string): KafkaStreams => {
    const times = new Map<number, number[]>();
    processed.set(name, times);
    const b = new StreamsBuilder();
    b.stream(input, Consumed.with(S, S))
      .peek((k) => {
        const p = Number(k!.split('-')[0]);
        let list = times.get(p);
        if (!list) times.set(p, (list = []));
        list.push(Date.now());
      })
      .to(output, Produced.with(S, S));
    return new KafkaStreams(b.build(), {
      applicationId: `bench-rebalance-${tag}`,
      bootstrapServers: brokers,
      kafkaClient: 'platformatic',
      rebalanceProtocol: protocol,
      applicationServer: `${name}:1`,
      commitIntervalMs: 1000,
      consumer: CONSUMER,
      metricsRegistry: new Registry(),
      logger: silent,
    });
  };
  const partitionsOf = (s: KafkaStreams, host: string): number[] =>
    s
      .allMetadataForStore()
      .filter((m) => m.hostInfo.host === host)
      .flatMap((m) => m.topicPartitions.filter((tp) => tp.topic === input).map((tp) => tp.partition))
      .sort((x, y) => x - y);
  const running = (s: KafkaStreams) => s.state() === KafkaStreamsState.RUNNING;
  /** True when `name` processed a record of every partition of `ps` after `since`. */
  const processingSince = (name: string, ps: number[], since: number) =>
    ps.every((p) => (processed.get(name)!.get(p) ?? []).some((t) => t > since));

  const producer = kafka.producer();
  await producer.connect();
  let feeding = true;
  const feeder = (async () => {
    for (let i = 0; feeding; i++) {
      const due = Date.now() + FEED_EVERY_MS;
      await producer.send({
        topic: input,
        acks: 1,
        messages: Array.from({ length: PARTITIONS }, (_, p) => ({
          key: `${p}-${i}`,
          value: String(i),
          partition: p,
        })),
      });
      const left = due - Date.now();
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
  })();
  const a = make('a');
  const b = make('b');
  const all = Array.from({ length: PARTITIONS }, (_, p) => p);
  try {
    await a.start();
    await until(() => running(a) && partitionsOf(a, 'a').length === PARTITIONS, 60_000, 'a alone RUNNING');
    let t = Date.now();
    await until(() => processingSince('a', all, t), 60_000, 'a processing every partition');
    await new Promise((r) => setTimeout(r, SETTLE_MS));

    const joinAt = Date.now();
    await b.start();
    await until(
      () =>
        running(a) &&
        running(b) &&
        partitionsOf(a, 'a').length === PARTITIONS / 2 &&
        partitionsOf(b, 'b').length === PARTITIONS / 2,
      60_000,
      'three partitions each',
    );
    const kept = partitionsOf(a, 'a');
    t = Date.now();
    await until(
      () => processingSince('a', kept, t) && processingSince('b', partitionsOf(b, 'b'), t),
      60_000,
      'both processing',
    );
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const joined = Date.now();

    const leaveAt = Date.now();
    await b.close();
    await until(() => running(a) && partitionsOf(a, 'a').length === PARTITIONS, 60_000, 'a alone again');
    t = Date.now();
    await until(() => processingSince('a', all, t), 60_000, 'a processing every partition again');
    const left = Date.now();

    const times = processed.get('a')!;
    return {
      steady: longestGap(times, kept, joinAt - SETTLE_MS, joinAt),
      join: longestGap(times, kept, joinAt, joined),
      leave: longestGap(times, kept, leaveAt, left),
    };
  } finally {
    feeding = false;
    await feeder;
    await producer.disconnect();
    await Promise.all([a.close(), b.close()]);
  }
}
