import {
  type ChildApp,
  committedOffsets,
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

const APP = 'cj-app';
const PARTITIONS = 4;
const STEP_MS = 2000; // purchase i happens at T0 + i * STEP_MS
const WINDOW_STEPS = (20 * 60_000) / STEP_MS; // 20 minutes, both ways, inclusive
const PHASE = 500; // purchases per phase: 1,000 s, less than the 21 minutes of window + grace
/** Long enough that the killed instance has processed, and not committed, part of phase 2: it is replayed. */
const COMMIT_INTERVAL_MS = 3000;

/** One child instance of `helpers/coupon-join-child.ts` on `stateDir`; prints `RUNNING` on each RUNNING state. */
function startInstance(brokers: string[], stateDir: string): ChildApp {
  return startChildHelper('coupon-join-child', [
    brokers.join(','),
    APP,
    stateDir,
    String(COMMIT_INTERVAL_MS),
  ]);
}

/** Purchase i: one of 40 customers, coffee, electronics or (a quarter) another department. */
function purchase(i: number) {
  const h = Math.imul(i + 1, 2654435761) >>> 0;
  const department = ['coffee', 'electronics', 'coffee', 'electronics', 'books'][h % 5]!;
  return { id: `p${i}`, customerId: `c${(h >>> 8) % 40}`, department };
}

/**
 * The seed's coupon join (coffee and electronics purchases of one customer within 20 minutes) with
 * two instances over the embedded broker, at-least-once. Phase 1 is processed and committed; phase
 * 2 is produced and one instance is `kill -9`-ed while it processes it (its uncommitted work is
 * replayed by the survivor); the killed instance restarts on its state directory and phase 3
 * arrives. The output must hold every pair of the brute-force model and nothing else; duplicates
 * are allowed only from the replay, so each duplicated pair must involve a phase-2 purchase. The
 * test prints how many duplicates there were.
 */
describe('coupon join: two instances, kill -9, restart (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await killChildApps();
    await env?.broker.stop();
  });

  it('the joined output equals the model; duplicates only from the replay after the crash', async () => {
    await createTopics(env.kafka, [
      { topic: 'cj-purchases', numPartitions: PARTITIONS },
      { topic: 'cj-coupons', numPartitions: PARTITIONS },
    ]);
    const dirA = tempDir('cj-a');
    const dirB = tempDir('cj-b');
    const T0 = Date.UTC(2026, 11, 6, 8, 0);
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, j) => a + j);
    const send = (ids: number[]) =>
      produce(
        env.kafka,
        'cj-purchases',
        ids.map((i) => ({
          key: `p${i}`,
          value: JSON.stringify(purchase(i)),
          timestamp: String(T0 + i * STEP_MS),
        })),
      );
    const admin = env.kafka.admin();
    await admin.connect();
    const countOutputs = async () =>
      (await admin.fetchTopicOffsets('cj-coupons')).reduce((n, o) => n + Number(o.high), 0);
    /** Every input and repartition offset committed by the application. */
    const quiescent = async () => {
      const topics = (await admin.listTopics()).filter(
        (t) => t === 'cj-purchases' || (t.startsWith(`${APP}-`) && t.endsWith('-repartition')),
      );
      if (topics.length < 3) return false;
      for (const topic of topics) {
        const committed = await committedOffsets(env.kafka, APP, topic);
        for (const e of await admin.fetchTopicOffsets(topic))
          if (Math.max(0, committed.get(e.partition) ?? 0) < Number(e.high)) return false;
      }
      return true;
    };
    try {
      let a = startInstance(env.brokers, dirA);
      const b = startInstance(env.brokers, dirB);
      await waitFor(
        () => a.printed('RUNNING') > 0 && b.printed('RUNNING') > 0,
        90000,
        'both instances RUNNING',
      );
      await send(range(0, PHASE));
      await waitFor(quiescent, 90000, 'phase 1 committed').catch((e) => {
        throw new Error(`${(e as Error).message}; ${a.err.slice(-1500)} ${b.err.slice(-1500)}`);
      });
      const afterPhase1 = await countOutputs();

      // Phase 2: kill A while the phase is being processed (some output, not all of it).
      await send(range(PHASE, 2 * PHASE));
      await waitFor(async () => (await countOutputs()) > afterPhase1, 60000, 'phase 2 output started');
      await a.kill();
      await waitFor(quiescent, 120000, 'phase 2 committed by the survivor');

      a = startInstance(env.brokers, dirA);
      const bRuns = b.printed('RUNNING');
      await waitFor(
        () => a.printed('RUNNING') > 0 && b.printed('RUNNING') > bRuns,
        90000,
        'restarted instance rejoined',
      );
      await send(range(2 * PHASE, 3 * PHASE));
      await waitFor(quiescent, 90000, 'phase 3 committed');

      // The brute-force model: every coffee/electronics pair of a customer within 20 minutes.
      const all = range(0, 3 * PHASE).map((i) => ({ i, ...purchase(i) }));
      const model = new Set<string>();
      for (const c of all.filter((p) => p.department === 'coffee'))
        for (const e of all)
          if (
            e.department === 'electronics' &&
            e.customerId === c.customerId &&
            Math.abs(e.i - c.i) <= WINDOW_STEPS
          )
            model.add(`${c.customerId}:${c.id}+${e.id}`);

      const total = await countOutputs();
      const out = await consume(env.kafka, 'cj-coupons', total, 60000);
      const seen = new Map<string, number>();
      for (const r of out) {
        const k = `${r.key}:${r.value}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
      expect(new Set(seen.keys())).toEqual(model); // every pair, nothing spurious
      const phaseOf = (id: string) => Math.floor(Number(id.slice(1)) / PHASE) + 1;
      const duplicated = [...seen].filter(([, n]) => n > 1);
      const notFromReplay = duplicated.filter(([k]) => {
        const [cId, eId] = k.split(':')[1]!.split('+');
        return phaseOf(cId!) !== 2 && phaseOf(eId!) !== 2;
      });
      expect(notFromReplay).toEqual([]);
      console.log(
        `coupon join crash test: ${model.size} pairs, ${out.length} output records, ` +
          `${out.length - seen.size} duplicate records over ${duplicated.length} pairs, all involving a phase-2 (replayed) purchase`,
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
