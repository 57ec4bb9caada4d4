import {
  type ChildApp,
  consume,
  createTopics,
  killChildApps,
  produce,
  startBroker,
  tempDir,
  waitFor,
} from '@gmart/test-support';
import { startChildHelper } from '../helpers/child-helper';

jest.setTimeout(240000);

/** Keys (one record each, then a fifth as many updates). `SR_KEYS=100000` runs the large version. */
const KEYS = Number(process.env.SR_KEYS ?? 20_000);
const UPDATES = KEYS / 5;
const log = (m: string) => process.env.SR_DEBUG && process.stderr.write(`${new Date().toISOString()} ${m}\n`);

/** One child instance of `helpers/stateful-child.ts` and what it printed. */
class Instance {
  readonly app: ChildApp;
  private readonly dumps: Array<(entries: Array<[string, number]> | null) => void> = [];
  readonly restored: number[] = [];
  constructor(
    brokers: string[],
    readonly stateDir: string,
  ) {
    this.app = startChildHelper(
      'stateful-child',
      [brokers.join(','), 'sr-app', 'sr-in', 'sr-out', stateDir],
      {
        onLine: (line) => {
          if (line.startsWith('RESTORED ')) this.restored.push(Number(line.slice(9)));
          else if (line.startsWith('DUMP ')) this.dumps.shift()?.(JSON.parse(line.slice(5)));
          else if (line.startsWith('DUMP-FAILED')) this.dumps.shift()?.(null);
        },
      },
    );
  }
  /** How many times it printed RUNNING. */
  get running(): number {
    return this.app.printed('RUNNING');
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
              `instance on ${this.stateDir} did not answer a dump (exit ${this.app.child.exitCode}): ${this.app.err.slice(-2000)}`,
            ),
          ),
        15000,
      );
      this.dumps.push((e) => {
        clearTimeout(timer);
        resolve(e);
      });
      this.app.child.kill('SIGUSR2');
    });
  }
}

describe('stateful application: kill -9, restore, clean restart (embedded broker, child processes)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await killChildApps();
    await env?.broker.stop();
  });

  it(`4 partitions, ${KEYS.toLocaleString('en')} keys, two instances: restored stores equal a recomputation, nothing is missing, a clean restart restores only the tail`, async () => {
    await createTopics(env.kafka, [
      { topic: 'sr-in', numPartitions: 4 },
      { topic: 'sr-out', numPartitions: 4 },
    ]);
    const dirA = tempDir('sr-a');
    const dirB = tempDir('sr-b');
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

    let a = new Instance(env.brokers, dirA);
    const b = new Instance(env.brokers, dirB);
    await waitFor(() => a.running > 0 && b.running > 0, 60000, 'both instances RUNNING');
    log('both running');
    const feeding = produce(env.kafka, 'sr-in', phase1);
    await consume(env.kafka, 'sr-out', UPDATES, 90000);

    // kill -9 one instance mid-stream, keep producing, restart it on the same state directory.
    log('20k out');
    await a.app.kill();
    await feeding;
    await produce(env.kafka, 'sr-in', phase2);
    log('restart after kill');
    a = new Instance(env.brokers, dirA);
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
    expect(await a.app.kill('SIGTERM')).toBe(0);
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
    a = new Instance(env.brokers, dirA);
    await waitFor(() => a.running > 0 && a.restored.length >= 2, 60000, 'clean restart RUNNING');
    log(`clean restored ${a.restored}`);
    const restoredAfterClean = a.restored.reduce((s, n) => s + n, 0);
    // Only the changelog tail written by the survivor for this instance's partitions is restored.
    expect(restoredAfterClean).toBeGreaterThan(0);
    expect(restoredAfterClean).toBeLessThanOrEqual(tail.length);
    const afterClean = await settledUnion([a, b], KEYS, 'both instances queryable');
    expect(afterClean).toEqual(expected([...phase1, ...phase2, ...tail]));
    await Promise.all([a.app.kill('SIGTERM'), b.app.kill('SIGTERM')]);
  });
});
