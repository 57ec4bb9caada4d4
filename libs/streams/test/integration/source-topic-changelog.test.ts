import { rmSync } from 'node:fs';
import {
  type ChildApp,
  committedOffsets,
  createTopics,
  killChildApps,
  produce,
  readCommitted,
  sleep,
  startBroker,
  tempDir,
  waitFor,
} from '@gmart/test-support';
import { startChildHelper } from '../helpers/child-helper';
import { seededRandom } from '../helpers/seeded-random';
import { listTopics, logEndOffsets } from '../helpers/admin-queries';

jest.setTimeout(240000);

type Row = { key: string; value: string | null };
interface Dump {
  rows: Array<[string, string]>;
  sums: Array<[string, number]>;
}

/** One child instance of `helpers/table-source-child.ts` and what it printed. */
class Instance {
  readonly app: ChildApp;
  private readonly dumps: Array<(dump: Dump | null) => void> = [];
  /** `RESTORE-START` lines: topic, partition, store, from, end. */
  readonly starts: Array<{ topic: string; partition: number; store: string; from: number; end: number }> = [];
  /** `RESTORE-END` lines: topic, partition, store, total restored. */
  readonly ends: Array<{ topic: string; partition: number; store: string; total: number }> = [];
  constructor(brokers: string[], app: string, stateDir: string, guarantee: string) {
    this.app = startChildHelper(
      'table-source-child',
      [brokers.join(','), app, `${app}-in`, `${app}-out`, stateDir, guarantee],
      {
        onLine: (line) => {
          const f = line.split(' ');
          if (f[0] === 'RESTORE-START')
            this.starts.push({ topic: f[1], partition: +f[2], store: f[3], from: +f[4], end: +f[5] });
          else if (f[0] === 'RESTORE-END')
            this.ends.push({ topic: f[1], partition: +f[2], store: f[3], total: +f[4] });
          else if (f[0] === 'DUMP') this.dumps.shift()?.(JSON.parse(line.slice(5)));
          else if (f[0] === 'DUMP-FAILED') this.dumps.shift()?.(null);
        },
      },
    );
  }
  get running(): number {
    return this.app.printed('RUNNING');
  }
  /** The stores' entries (asked with SIGUSR2), or null while they are not queryable. */
  dump(): Promise<Dump | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no dump (exit ${this.app.child.exitCode}): ${this.app.err.slice(-2000)}`)),
        15000,
      );
      this.dumps.push((d) => {
        clearTimeout(timer);
        resolve(d);
      });
      this.app.child.kill('SIGUSR2');
    });
  }
}

/** Seeded rows `key -> group:quantity` over `keys` keys, one in ten a delete. */
function rows(seed: number, n: number, keys: number): Row[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const key = `k${Math.floor(rnd() * keys)}`;
    return { key, value: rnd() < 0.1 ? null : `g${Math.floor(rnd() * 7)}:${1 + Math.floor(rnd() * 9)}` };
  });
}

/** The brute-force model: the table (last row per key) and its sums per group (zeros left out). */
function model(input: readonly Row[]): { rows: Map<string, string>; sums: Map<string, number> } {
  const table = new Map<string, string>();
  for (const r of input) {
    if (r.value === null) table.delete(r.key);
    else table.set(r.key, r.value);
  }
  const sums = new Map<string, number>();
  for (const v of table.values()) {
    const [g, q] = v.split(':');
    sums.set(g, (sums.get(g) ?? 0) + Number(q));
  }
  return { rows: table, sums: nonZero(sums) };
}

const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, v]) => v !== 0));

/** Waits until the instance's stores equal the model of `input`. */
async function settled(instance: Instance, input: readonly Row[], what: string): Promise<void> {
  const want = model(input);
  let last: Dump | null = null;
  try {
    await waitFor(
      async () => {
        last = await instance.dump();
        return (
          last !== null &&
          equalMaps(new Map(last.rows), want.rows) &&
          equalMaps(nonZero(new Map(last.sums)), want.sums)
        );
      },
      90000,
      what,
    );
  } finally {
    if (last !== null) {
      const d = last as Dump;
      expect(new Map(d.rows)).toEqual(want.rows);
      expect(nonZero(new Map(d.sums))).toEqual(want.sums);
    }
  }
}

function equalMaps<V>(a: Map<string, V>, b: Map<string, V>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.has(k) && b.get(k) === v);
}

let env: Awaited<ReturnType<typeof startBroker>>;

/** Asserts that `a` began restoring store `rows` of partition `p` from `app`'s input topic at `from`, to `end`. */
function expectRowsRestore(a: Instance, app: string, p: number, from: number, end: number): void {
  expect(a.starts.find((s) => s.store === 'rows' && s.partition === p)).toEqual({
    topic: `${app}-in`,
    partition: p,
    store: 'rows',
    from,
    end,
  });
}

/**
 * A clean restart on the same state after a clean stop: the checkpoint holds the last processed
 * offsets, which the stop committed, and the aggregate changelog's last written offsets, so neither
 * store restores a record; the stores still equal the model of `input`. Stops the instance cleanly
 * after.
 */
async function cleanRestartRestoresNothing(
  brokers: string[],
  app: string,
  dir: string,
  guarantee: string,
  input: readonly Row[],
): Promise<void> {
  const atStop = await committedOffsets(env.kafka, app, `${app}-in`);
  const a = new Instance(brokers, app, dir, guarantee);
  await waitFor(() => a.ends.length === 4, 90000, 'rows and sums reopened');
  for (const p of [0, 1]) {
    expectRowsRestore(a, app, p, atStop.get(p)!, atStop.get(p)!);
    expect(a.ends.find((e) => e.store === 'rows' && e.partition === p)!.total).toBe(0);
    // The aggregate's changelog too: the clean close checkpointed what the task had written.
    expect(a.ends.find((e) => e.store === 'sums' && e.partition === p)!.total).toBe(0);
  }
  await settled(a, input, `stores after the clean restart (${guarantee}) equal the model`);
  expect(await a.app.kill('SIGTERM')).toBe(0);
}

describe('topologyOptimization all: a table restores from its source topic to the committed offset (embedded broker, child processes)', () => {
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await killChildApps();
    await env?.broker.stop();
  });

  it('at_least_once: no source-table changelog; a clean restart restores nothing (checkpoint at the committed offsets); after a clean stop, records written while down and a wiped state dir, the table restores exactly to the committed offsets', async () => {
    const app = 'stc-alos';
    await createTopics(env.kafka, [
      { topic: `${app}-in`, numPartitions: 2 },
      { topic: `${app}-out`, numPartitions: 2 },
    ]);
    const dir = tempDir('stc-alos');
    const phase1 = rows(1, 4000, 300);
    const phase2 = rows(2, 1500, 300);
    let a = new Instance(env.brokers, app, dir, 'at_least_once');
    await waitFor(() => a.running > 0, 60000, 'instance RUNNING');
    await produce(env.kafka, `${app}-in`, phase1);
    await settled(a, phase1, 'stores equal the model of phase 1');
    const all = await listTopics(env.kafka);
    expect(all).not.toContain(`${app}-rows-changelog`);
    expect(all).toContain(`${app}-sums-changelog`);
    expect(await a.app.kill('SIGTERM')).toBe(0);

    await cleanRestartRestoresNothing(env.brokers, app, dir, 'at_least_once', phase1);

    await produce(env.kafka, `${app}-in`, phase2);
    const committed = await committedOffsets(env.kafka, app, `${app}-in`);
    const ends = await logEndOffsets(env.kafka, `${app}-in`);
    for (const p of [0, 1]) expect(committed.get(p)!).toBeLessThan(ends.get(p)!);
    rmSync(dir, { recursive: true, force: true });

    a = new Instance(env.brokers, app, dir, 'at_least_once');
    await waitFor(() => a.ends.filter((e) => e.store === 'rows').length === 2, 60000, 'rows restored');
    for (const p of [0, 1]) {
      expectRowsRestore(a, app, p, 0, committed.get(p)!);
      // Every record below the committed offset has a key: all of them restored, none after it.
      const end = a.ends.find((e) => e.store === 'rows' && e.partition === p)!;
      expect(end.total).toBe(committed.get(p));
    }
    await settled(a, [...phase1, ...phase2], 'stores equal the model of both phases');
    expect(await a.app.kill('SIGTERM')).toBe(0);
  });

  it('exactly_once_v2: killed mid-stream and restarted, the table restores to the committed offsets and the aggregate equals the model', async () => {
    const app = 'stc-eos';
    await createTopics(env.kafka, [
      { topic: `${app}-in`, numPartitions: 2 },
      { topic: `${app}-out`, numPartitions: 2 },
    ]);
    const dir = tempDir('stc-eos');
    const phase1 = rows(3, 30000, 500);
    const phase2 = rows(4, 2000, 500);
    let a = new Instance(env.brokers, app, dir, 'exactly_once_v2');
    await waitFor(() => a.running > 0, 60000, 'instance RUNNING');
    const feeding = produce(env.kafka, `${app}-in`, phase1, 500);
    // Mid-stream: some input committed, not all.
    await waitFor(
      async () => [...(await committedOffsets(env.kafka, app, `${app}-in`)).values()].some((o) => o > 2000),
      60000,
      'some input committed',
    );
    await a.app.kill();
    await feeding;
    await produce(env.kafka, `${app}-in`, phase2);
    await sleep(1000);
    const committed = await committedOffsets(env.kafka, app, `${app}-in`);
    const ends = await logEndOffsets(env.kafka, `${app}-in`);
    expect([0, 1].some((p) => committed.get(p)! < ends.get(p)!)).toBe(true);

    a = new Instance(env.brokers, app, dir, 'exactly_once_v2');
    await waitFor(() => a.ends.filter((e) => e.store === 'rows').length === 2, 90000, 'rows restored');
    // Under exactly-once an unclean stop wipes the state: restored from 0 to the committed offset.
    for (const p of [0, 1]) expectRowsRestore(a, app, p, 0, Math.max(0, committed.get(p)!));
    const all = [...phase1, ...phase2];
    await settled(a, all, 'stores equal the model after the crash');
    // The committed output's last sum per group is the model's (once the caches were flushed).
    const lastSums = async () => {
      const last = new Map<string, number>();
      for (const r of await readCommitted(env.kafka, `${app}-out`)) last.set(r.key!, r.value!.readInt32BE(0));
      return nonZero(last);
    };
    const want = model(all).sums;
    await waitFor(async () => equalMaps(await lastSums(), want), 30000, 'committed output settled');
    expect(await lastSums()).toEqual(want);
    expect(await a.app.kill('SIGTERM')).toBe(0);

    // Under exactly-once the checkpoint is written only by a clean close: with the last processed
    // (committed) offsets of the source partitions, so a restart restores nothing of them.
    await cleanRestartRestoresNothing(env.brokers, app, dir, 'exactly_once_v2', all);
  });
});
