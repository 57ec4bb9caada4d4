import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { consume, createTopics, produce, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(240000);

/** Keys (one record each, then a fifth as many updates). `SR_KEYS=100000` runs the large version. */
const KEYS = Number(process.env.SR_KEYS ?? 20_000);
const UPDATES = KEYS / 5;
const log = (m: string) => process.env.SR_DEBUG && process.stderr.write(`${new Date().toISOString()} ${m}\n`);

/** One child instance of `helpers/stateful-child.ts` and what it printed. */
class Instance {
  readonly child: ChildProcess;
  private out = '';
  err = '';
  private readonly dumps: Array<(entries: Array<[string, number]> | null) => void> = [];
  readonly restored: number[] = [];
  running = 0;
  constructor(
    brokers: string[],
    readonly stateDir: string,
    children: ChildProcess[],
  ) {
    this.child = spawn(
      process.execPath,
      [
        '--conditions=@gmart/source',
        '-r',
        '@swc-node/register',
        path.join(__dirname, '../helpers/stateful-child.ts'),
        brokers.join(','),
        'sr-app',
        'sr-in',
        'sr-out',
        stateDir,
      ],
      { cwd: path.join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(this.child);
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    this.child.stdout!.on('data', (d: Buffer) => {
      this.out += d.toString();
      let nl: number;
      while ((nl = this.out.indexOf('\n')) >= 0) {
        const line = this.out.slice(0, nl);
        this.out = this.out.slice(nl + 1);
        if (line === 'RUNNING') this.running++;
        else if (line.startsWith('RESTORED ')) this.restored.push(Number(line.slice(9)));
        else if (line.startsWith('DUMP ')) this.dumps.shift()?.(JSON.parse(line.slice(5)));
        else if (line.startsWith('DUMP-FAILED')) this.dumps.shift()?.(null);
      }
    });
  }
  /**
   * The entries of this instance's `latest` store (asked with SIGUSR2), or null when the store is
   * not queryable now (the instance is rebalancing or restoring).
   */
  dump(): Promise<Array<[string, number]> | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `instance on ${this.stateDir} did not answer a dump (exit ${this.child.exitCode}): ${this.err.slice(-2000)}`,
            ),
          ),
        15000,
      );
      this.dumps.push((e) => {
        clearTimeout(timer);
        resolve(e);
      });
      this.child.kill('SIGUSR2');
    });
  }
  exited(): Promise<number | null> {
    return this.child.exitCode !== null
      ? Promise.resolve(this.child.exitCode)
      : new Promise((r) => this.child.once('exit', (code) => r(code)));
  }
}

describe('stateful application: kill -9, restore, clean restart (embedded broker, child processes)', () => {
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

  it(`4 partitions, ${KEYS.toLocaleString('en')} keys, two instances: restored stores equal a recomputation, nothing is missing, a clean restart restores only the tail`, async () => {
    await createTopics(env.kafka, [
      { topic: 'sr-in', numPartitions: 4 },
      { topic: 'sr-out', numPartitions: 4 },
    ]);
    const dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-a-'));
    const dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-b-'));
    dirs.push(dirA, dirB);
    // Input: every key once (seq = i), then KEYS / 5 updates while an instance is down, then a 2,000 tail.
    const phase1 = Array.from({ length: KEYS }, (_, i) => ({ key: `k${i}`, value: String(i) }));
    const phase2 = Array.from({ length: UPDATES }, (_, j) => ({
      key: `k${(j * 7) % KEYS}`,
      value: String(KEYS + j),
    }));
    const tail = Array.from({ length: 2_000 }, (_, j) => ({
      key: `k${(j * 13) % KEYS}`,
      value: String(KEYS + UPDATES + j),
    }));
    const expected = (records: Array<{ key: string; value: string }>) => {
      const m = new Map<string, number>();
      for (const r of records) m.set(r.key, Math.max(m.get(r.key) ?? -1, Number(r.value)));
      return m;
    };
    /** Every instance's store entries, or null while one of them is not queryable. */
    const union = async (instances: Instance[]) => {
      const m = new Map<string, number>();
      let duplicates = 0;
      for (const i of instances) {
        const entries = await i.dump();
        if (entries === null) return null;
        for (const [k, v] of entries) {
          if (m.has(k)) duplicates++;
          m.set(k, v);
        }
      }
      return { entries: m, duplicates };
    };
    /** Waits until every instance answers with `size` keys, and returns that answer. */
    const settledUnion = async (instances: Instance[], size: number, what: string) => {
      let answer: Awaited<ReturnType<typeof union>> = null;
      await waitFor(
        async () => {
          answer = await union(instances);
          return answer !== null && answer.entries.size === size;
        },
        90000,
        what,
      );
      const { entries, duplicates } = answer!;
      expect(duplicates).toBe(0); // each key lives in exactly one task
      return entries;
    };
    const outputsSeen = new Set<string>();
    let cursor = 0;
    const allOut = (want: number) => (records: Array<{ key: string | null; value: Buffer | null }>) => {
      for (; cursor < records.length; cursor++)
        outputsSeen.add(`${records[cursor].key}=${records[cursor].value}`);
      return outputsSeen.size >= want;
    };

    let a = new Instance(env.brokers, dirA, children);
    const b = new Instance(env.brokers, dirB, children);
    await waitFor(() => a.running > 0 && b.running > 0, 60000, 'both instances RUNNING');
    log('both running');
    const feeding = produce(env.kafka, 'sr-in', phase1);
    await consume(env.kafka, 'sr-out', UPDATES, 90000);

    // kill -9 one instance mid-stream, keep producing, restart it on the same state directory.
    log('20k out');
    a.child.kill('SIGKILL');
    await a.exited();
    await feeding;
    await produce(env.kafka, 'sr-in', phase2);
    log('restart after kill');
    a = new Instance(env.brokers, dirA, children);
    // Nothing missing: every input record shows up in the output (at least once).
    cursor = 0;
    await consume(env.kafka, 'sr-out', KEYS + phase2.length, 120000, allOut(KEYS + phase2.length));
    log('all outputs');
    // Queries answer once the group settled (the killed member leaves after its session timeout)
    // and the restarted instance got its tasks back, restored from their changelogs.
    await waitFor(() => a.restored.length >= 2, 90000, 'restarted instance restored');
    const afterCrash = await settledUnion([a, b], KEYS, 'restarted instance restored and queryable');
    expect(a.restored.reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
    expect(afterCrash).toEqual(expected([...phase1, ...phase2]));

    log(`restored ${a.restored}`);
    // Clean close: the checkpoint covers the whole store; the survivor runs the tail meanwhile.
    a.child.kill('SIGTERM');
    expect(await a.exited()).toBe(0);
    const bRunning = b.running;
    await waitFor(() => b.running > bRunning, 60000, 'survivor RUNNING with every partition');
    log('b took all');
    await produce(env.kafka, 'sr-in', tail);
    cursor = 0;
    outputsSeen.clear();
    await consume(
      env.kafka,
      'sr-out',
      KEYS + phase2.length + tail.length,
      120000,
      allOut(KEYS + phase2.length + tail.length),
    );
    log('tail out');
    a = new Instance(env.brokers, dirA, children);
    await waitFor(() => a.running > 0 && a.restored.length >= 2, 60000, 'clean restart RUNNING');
    log(`clean restored ${a.restored}`);
    const restoredAfterClean = a.restored.reduce((s, n) => s + n, 0);
    // Only the changelog tail written by the survivor for this instance's partitions is restored.
    expect(restoredAfterClean).toBeGreaterThan(0);
    expect(restoredAfterClean).toBeLessThanOrEqual(tail.length);
    const afterClean = await settledUnion([a, b], KEYS, 'both instances queryable');
    expect(afterClean).toEqual(expected([...phase1, ...phase2, ...tail]));
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await Promise.all([a.exited(), b.exited()]);
  });
});
