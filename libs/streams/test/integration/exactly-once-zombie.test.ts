/**
 * A zombie under `exactly_once_v2`: instance A is SIGSTOPped while its transaction holds output
 * records, longer than its session and transaction timeouts; the broker aborts that transaction
 * (bumping A's producer epoch), the group moves A's partitions to B, which processes them and more
 * input. Then A is SIGCONTed: whatever it still sends or commits from before is fenced (its epoch
 * is stale, its group generation too: KIP-447), so none of it becomes visible to a read_committed
 * consumer; A rejoins and the two share the work. The output equals the model: per key the counts
 * 1..n, each exactly once, and no transaction stays open.
 */
import {
  killChildApps,
  sleep,
  startBroker,
  tempDir,
  waitFor,
  withChildLogs,
  type ChildApp,
  type TestBroker,
} from '@gmart/test-support';
import { KAFKA_CLIENTS } from '../../src';
import { CountingRun, expectEveryCountOnce, startCountingInstance } from '../helpers/eos-counting';

jest.setTimeout(180000);

const KEYS = 20;
const PARTITIONS = 2;
describe.each(KAFKA_CLIENTS.map((c) => [c]))(
  'exactly_once_v2 on %s: a SIGSTOPped instance resumed after its partitions moved (zombie)',
  (client) => {
    const APP = { applicationId: `zb-app-${client}`, input: `zb-in-${client}`, output: `zb-out-${client}` };

    let env: TestBroker;

    beforeAll(async () => {
      env = await startBroker({ groupMinSessionTimeoutMs: 1000, clientId: 'zb-test' });
    });

    afterAll(async () => {
      await killChildApps();
      await env?.broker.stop();
    });

    it("fences the zombie's late writes: read_committed output equals the model", async () => {
      const run = await CountingRun.create(env, APP, { keys: KEYS, partitions: PARTITIONS });
      const start = (slot: string) =>
        startCountingInstance(env.brokers, APP, slot, tempDir('zb'), {
          EOS_DEBUG: '1',
          KAFKA_CLIENT: client,
        });

      const apps: Record<string, ChildApp> = {};
      const a = (apps.A = start('zb-a'));
      await withChildLogs(apps, async () => {
        await waitFor(() => a.printed('RUNNING') > 0, 60000, 'A RUNNING');
        await run.send(4000);
        // Stop A while a transaction of its holds output records (the LSO of an output partition
        // is behind its end), and check it is still open once A is stopped.
        let stopped = false;
        await waitFor(
          async () => {
            // A may have committed all it was sent before a probe sees a transaction open: feed it more.
            if (!run.openTransaction()) {
              await run.send(200);
              return false;
            }
            a.signal('SIGSTOP');
            await sleep(50);
            if (run.openTransaction()) return (stopped = true);
            a.signal('SIGCONT');
            return false;
          },
          60000,
          'A stopped inside an open transaction',
        );
        expect(stopped).toBe(true);
        const visibleAtStop = (await run.committedOutput()).length;
        expect(visibleAtStop).toBeLessThan(run.produced);

        // B takes over once A's session timed out; A's open transaction is aborted by its timeout.
        const b = (apps.B = start('zb-b'));
        await run.send(1000);
        await waitFor(
          async () => (await run.committedOutput()).length >= run.produced,
          90000,
          'B to process everything',
        );
        expect(run.openTransaction()).toBe(false);

        // The zombie wakes up: its late sends and commits are fenced; it rejoins.
        const aRuns = a.printed('RUNNING');
        a.signal('SIGCONT');
        await waitFor(() => a.printed('RUNNING') > aRuns, 60000, 'A to rejoin after being fenced');
        await run.send(1000);
        await waitFor(
          async () => (await run.committedOutput()).length >= run.produced && !run.openTransaction(),
          90000,
          'all output committed',
        );
        // Anything beyond `run.produced` would be a duplicate: give it a moment to show up.
        await sleep(1000);
        expect(run.openTransaction()).toBe(false);

        const all = await run.committedOutput();
        expectEveryCountOnce(all, run.expected);
        expect(all.length).toBe(run.produced);
        // A noticed: it dropped the transaction it held when stopped (fenced, or refused at commit).
        expect(a.err).toMatch(/Exactly-once: /);
        expect(a.alive && b.alive).toBe(true);
      });
    });
  },
);
