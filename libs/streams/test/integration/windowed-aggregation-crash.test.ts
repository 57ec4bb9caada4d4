import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Serdes, WindowedSerdes } from '../../src';
import { committedOffsets, consume, createTopics, produce, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(180000);

const APP = 'wk-app';
const PARTITIONS = 4;

/** One child instance of `helpers/windowed-agg-child.ts`. */
class Instance {
  readonly child: ChildProcess;
  running = 0;
  err = '';
  constructor(brokers: string[], stateDir: string, children: ChildProcess[]) {
    this.child = spawn(
      process.execPath,
      [
        '--conditions=@gmart/source',
        '-r',
        '@swc-node/register',
        path.join(__dirname, '../helpers/windowed-agg-child.ts'),
        brokers.join(','),
        APP,
        stateDir,
      ],
      { cwd: path.join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(this.child);
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    this.child.stdout!.on('data', (d: Buffer) => {
      this.running += d
        .toString()
        .split('\n')
        .filter((l) => l === 'RUNNING').length;
    });
  }
  exited(): Promise<number | null> {
    return this.child.exitCode !== null || this.child.signalCode !== null
      ? Promise.resolve(this.child.exitCode)
      : new Promise((r) => this.child.once('exit', (code) => r(code)));
  }
}

/**
 * Two instances of a windowed count (through a repartition topic) and a `KGroupedTable.aggregate`
 * with a subtractor, over the embedded broker. One instance is `kill -9`-ed, the other takes over
 * its tasks (restoring them from the changelogs) while more input arrives, then the killed one
 * restarts on its state directory (no checkpoint: restore from the changelogs) and more input
 * arrives. Each kill and restart happens when every input and repartition offset is committed,
 * because under `at_least_once` (as in Kafka Streams) records processed after the last commit are
 * processed again after a crash, which counts them twice; `exactly_once_v2` is what removes that.
 */
describe('windowed count and table aggregation: two instances, kill -9, restart (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("final results equal the recomputation; internal topics have Kafka Streams' names and partition counts", async () => {
    await createTopics(env.kafka, [
      { topic: 'wk-trades', numPartitions: PARTITIONS },
      { topic: 'wk-holdings', numPartitions: PARTITIONS },
      { topic: 'wk-counts', numPartitions: PARTITIONS },
      { topic: 'wk-sums', numPartitions: PARTITIONS },
    ]);
    const dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'wk-a-'));
    const dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'wk-b-'));
    dirs.push(dirA, dirB);
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
    let notYet = '';
    /** Every input and repartition offset committed by the application. */
    const quiescent = async () => {
      for (const topic of [
        'wk-trades',
        'wk-holdings',
        internalTopics.windowRepartition,
        internalTopics.aggregateRepartition,
      ]) {
        const ends = await admin.fetchTopicOffsets(topic).catch(() => null);
        if (ends === null) {
          notYet = `${topic} does not exist`;
          return false;
        }
        const committed = await committedOffsets(env.kafka, APP, topic);
        for (const e of ends)
          if (Math.max(0, committed.get(e.partition) ?? 0) < Number(e.high)) {
            notYet = `${topic}[${e.partition}] committed ${committed.get(e.partition)} of ${e.high}`;
            return false;
          }
      }
      return true;
    };
    const send = async (trades: number[], holdings: number[]) => {
      await produce(
        env.kafka,
        'wk-trades',
        trades.map((i) => ({ key: trade(i).key, value: trade(i).value, timestamp: String(trade(i).ts) })),
      );
      await produce(env.kafka, 'wk-holdings', holdings.map(holding));
    };
    try {
      let a = new Instance(env.brokers, dirA, children);
      const b = new Instance(env.brokers, dirB, children);
      await waitFor(() => a.running > 0 && b.running > 0, 60000, 'both instances RUNNING');
      await send(range(0, 1000), range(0, 500));
      await waitFor(quiescent, 60000, 'phase 1 committed').catch((e) => {
        throw new Error(`${e.message}: ${notYet}; ${a.err.slice(-1500)} ${b.err.slice(-1500)}`);
      });

      a.child.kill('SIGKILL');
      await a.exited();
      await send(range(1000, 1600), range(500, 800));
      await waitFor(quiescent, 90000, 'phase 2 committed by the survivor');

      a = new Instance(env.brokers, dirA, children);
      const bRuns = b.running;
      await waitFor(() => a.running > 0 && b.running > bRuns, 60000, 'restarted instance rejoined');
      await send(range(1600, 2000), range(800, 1000));
      await waitFor(quiescent, 60000, 'phase 3 committed');

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

      // the last output per key (the output topics are written by the application only)
      const readAll = async (topic: string) => {
        const ends = await admin.fetchTopicOffsets(topic);
        const total = ends.reduce((s, e) => s + Number(e.high), 0);
        return consume(env.kafka, topic, total, 60000);
      };
      const windowSerde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 20_000).deserializer();
      const lastCounts = new Map<string, number>();
      for (const r of (await readAll('wk-counts')).sort(
        (x, y) => x.partition - y.partition || x.offset - y.offset,
      )) {
        const w = windowSerde.deserialize('wk-counts', r.keyBytes)!;
        lastCounts.set(`${w.key()}@${w.window().start()}`, Number(r.value!.readBigInt64BE()));
      }
      const lastSums = new Map<string, number>();
      for (const r of (await readAll('wk-sums')).sort(
        (x, y) => x.partition - y.partition || x.offset - y.offset,
      ))
        lastSums.set(r.key!, r.value!.readInt32BE());
      expect(new Map([...lastCounts].sort())).toEqual(new Map([...counts].sort()));
      expect(new Map([...lastSums].sort())).toEqual(new Map([...sums].sort()));

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

      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      expect(await a.exited()).toBe(0);
      expect(await b.exited()).toBe(0);
    } finally {
      await admin.disconnect();
    }
  });
});
