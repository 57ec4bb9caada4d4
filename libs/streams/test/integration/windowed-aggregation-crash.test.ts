import { Serdes, WindowedSerdes } from '../../src';
import {
  type ChildApp,
  createTopics,
  killChildApps,
  produce,
  readCommitted,
  startBroker,
  tempDir,
  waitFor,
} from '@gmart/test-support';
import { startChildHelper } from '../helpers/child-helper';

jest.setTimeout(180000);

const APP = 'wk-app';
const PARTITIONS = 4;

/** One child instance of `helpers/windowed-agg-child.ts` on `stateDir`; prints `RUNNING` on each RUNNING state. */
function startInstance(brokers: string[], stateDir: string): ChildApp {
  return startChildHelper('windowed-agg-child', [brokers.join(','), APP, stateDir, 'exactly_once_v2']);
}

/**
 * Two instances of a windowed count (through a repartition topic) and a `KGroupedTable.aggregate`
 * with a subtractor, over the embedded broker, under `exactly_once_v2`. Each instance is `kill -9`-ed
 * at an arbitrary point while it processes (a seeded random delay after its output starts to grow,
 * never waiting for a commit), the other takes over its tasks (restoring them from the changelogs)
 * while more input arrives, then the killed one restarts on its state directory (under exactly-once
 * the local state is wiped and restored: the checkpoint is not trusted after a crash). The
 * read_committed outputs' last value per key must equal a brute-force recomputation: nothing counted
 * twice or lost, whatever the kills interrupted (under `at_least_once` the records processed after
 * the last commit would be counted again).
 */
describe('windowed count and table aggregation under exactly_once_v2: two instances, kill -9 at arbitrary points, restart (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await killChildApps();
    await env?.broker.stop();
  });

  it("final results equal the recomputation; internal topics have Kafka Streams' names and partition counts", async () => {
    await createTopics(env.kafka, [
      { topic: 'wk-trades', numPartitions: PARTITIONS },
      { topic: 'wk-holdings', numPartitions: PARTITIONS },
      { topic: 'wk-counts', numPartitions: PARTITIONS },
      { topic: 'wk-sums', numPartitions: PARTITIONS },
    ]);
    const dirA = tempDir('wk-a');
    const dirB = tempDir('wk-b');
    const T0 = 1_700_000_000_000;
    const symbols = ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'NFLX', 'TSLA', 'META'];
    const trade = (i: number) => ({
      key: `t${i}`,
      value: symbols[(i * 7 + (i >> 3)) % symbols.length]!,
      ts: T0 + i * 100,
    });
    const holding = (i: number) => ({
      key: `acct${(i * 13) % 150}`,
      value: `r${(i * 5 + (i >> 2)) % 6}:${(i * 37) % 1000}`,
    });
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, j) => a + j);
    const admin = env.kafka.admin();
    await admin.connect();
    const internalTopics = {
      windowRepartition: `${APP}-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition`,
      windowChangelog: `${APP}-KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog`,
      tableChangelog: `${APP}-wk-holdings-STATE-STORE-0000000009-changelog`,
      aggregateRepartition: `${APP}-KTABLE-AGGREGATE-STATE-STORE-0000000013-repartition`,
      aggregateChangelog: `${APP}-KTABLE-AGGREGATE-STATE-STORE-0000000013-changelog`,
    };
    const send = async (trades: number[], holdings: number[]) => {
      await produce(
        env.kafka,
        'wk-trades',
        trades.map((i) => ({ key: trade(i).key, value: trade(i).value, timestamp: String(trade(i).ts) })),
      );
      await produce(env.kafka, 'wk-holdings', holdings.map(holding));
    };
    /** Records written to the output topics so far (markers and aborted records included). */
    const written = async () => {
      let n = 0;
      for (const topic of ['wk-counts', 'wk-sums'])
        for (const o of await admin.fetchTopicOffsets(topic)) n += Number(o.high);
      return n;
    };
    // Seeded delays: the kills land at varying points of the processing, reproducibly.
    let seed = 19;
    const delay = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 100 + (seed % 900);
    };
    /** Kills `victim` a random moment after the outputs grew past what they held at the call. */
    const killWhileProcessing = async (victim: ChildApp) => {
      const before = await written();
      await waitFor(async () => (await written()) > before, 60000, 'the outputs to grow');
      await new Promise((r) => setTimeout(r, delay()));
      await victim.kill();
    };
    try {
      let a = startInstance(env.brokers, dirA);
      let b = startInstance(env.brokers, dirB);
      await waitFor(
        () => a.printed('RUNNING') > 0 && b.printed('RUNNING') > 0,
        60000,
        'both instances RUNNING',
      );
      await send(range(0, 1000), range(0, 500));
      await killWhileProcessing(a);
      await send(range(1000, 1600), range(500, 800));

      a = startInstance(env.brokers, dirA);
      await waitFor(() => a.printed('RUNNING') > 0, 60000, 'the restarted instance RUNNING');
      await send(range(1600, 1800), range(800, 900));
      await killWhileProcessing(b);
      b = startInstance(env.brokers, dirB);
      await send(range(1800, 2000), range(900, 1000));
      await waitFor(() => b.printed('RUNNING') > 0, 60000, 'the second restarted instance RUNNING');

      // the recomputation
      const counts = new Map<string, number>();
      for (const i of range(0, 2000)) {
        const t = trade(i);
        const id = `${t.value}@${Math.floor(t.ts / 20_000) * 20_000}`;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const latest = new Map<string, string>();
      for (const i of range(0, 1000)) latest.set(holding(i).key, holding(i).value);
      const sums = new Map<string, number>();
      for (const i of range(0, 1000)) sums.set(holding(i).value.split(':')[0]!, 0);
      for (const v of latest.values()) {
        const [region, shares] = v.split(':');
        sums.set(region!, sums.get(region!)! + Number(shares));
      }

      // The last committed output per key (the output topics are written by the application only).
      const windowSerde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 20_000).deserializer();
      const outputs = async () => {
        const lastCounts = new Map<string, number>();
        for (const r of (await readCommitted(env.kafka, 'wk-counts')).sort(
          (x, y) => x.partition - y.partition || x.offset - y.offset,
        )) {
          const w = windowSerde.deserialize('wk-counts', r.keyBytes)!;
          lastCounts.set(`${w.key()}@${w.window().start()}`, Number(r.value!.readBigInt64BE()));
        }
        const lastSums = new Map<string, number>();
        for (const r of (await readCommitted(env.kafka, 'wk-sums')).sort(
          (x, y) => x.partition - y.partition || x.offset - y.offset,
        ))
          lastSums.set(r.key!, r.value!.readInt32BE());
        return {
          counts: new Map([...lastCounts].sort()),
          sums: new Map([...lastSums].sort()),
        };
      };
      const want = { counts: new Map([...counts].sort()), sums: new Map([...sums].sort()) };
      const same = (x: Map<string, number>, y: Map<string, number>) =>
        x.size === y.size && [...x].every(([k, v]) => y.get(k) === v);
      let got = await outputs();
      await waitFor(
        async () => {
          got = await outputs();
          return same(got.counts, want.counts) && same(got.sums, want.sums);
        },
        120000,
        'the outputs to reach the recomputation',
      ).catch(() => undefined);
      expect(got).toEqual(want);
      // No transaction left open on the outputs: their last stable offset is their end.
      for (const topic of ['wk-counts', 'wk-sums'])
        for (let p = 0; p < PARTITIONS; p++) {
          const log = env.broker.logManager.partition(topic, p)!;
          expect({ topic, p, lso: log.lastStableOffset }).toEqual({ topic, p, lso: log.highWatermark });
        }

      // internal topics: Kafka Streams' names, the input's partition count
      const meta = await admin.fetchTopicMetadata({ topics: [] });
      const internal = meta.topics
        .filter((t) => t.name.startsWith(`${APP}-`))
        .map((t) => [t.name, t.partitions.length] as [string, number])
        .sort();
      expect(internal).toEqual(
        Object.values(internalTopics)
          .map((n) => [n, PARTITIONS] as [string, number])
          .sort(),
      );

      a.signal('SIGTERM');
      b.signal('SIGTERM');
      expect(await a.exited()).toBe(0);
      expect(await b.exited()).toBe(0);
    } finally {
      await admin.disconnect();
    }
  });
});
