/**
 * A member that lost its group membership without a rebalance the runtime saw (Kafka's
 * `onPartitionsLost`): instance A has processed and committed everything and sits idle when it is
 * SIGSTOPped; its session expires, B takes its partitions and counts on past A's state. Then A is
 * SIGCONTed: its first fetch is empty, its heartbeat is refused (UNKNOWN_MEMBER_ID) and the client
 * rejoins at once, without the revocation the runtime commits in; A gets a partition back. Kafka
 * Streams closes every task of a lost member dirty (TaskManager.handleLostAll, a new producer under
 * exactly-once) and restores the state from the changelogs: A must count on from B's counts, not
 * from the ones its stores held when it was stopped. Brute-force model: per key the counts 1..n
 * (each exactly once under exactly_once_v2; at least once, the last one n, under at_least_once).
 * Before the fix this failed every time on kafkajs (its heartbeat follows the empty fetch); on
 * @platformatic/kafka only when the refusal came before A's next fetch (the client heartbeats on a
 * timer; a fetch answered first replays B's records into A's stale stores, giving B's counts):
 * `test/client/client-contract.test.ts` checks the seam's `onLost` on both clients.
 */
import {
  committedOffsets,
  killChildApps,
  startBroker,
  tempDir,
  waitFor,
  waitForGroup,
  type Consumed,
  type TestBroker,
} from '@gmart/test-support';
import { KAFKA_CLIENTS } from '../../src';
import { CountingRun, expectEveryCountOnce, startCountingInstance } from '../helpers/eos-counting';

jest.setTimeout(180000);

const KEYS = 20;
const PARTITIONS = 2;
type Guarantee = 'exactly_once_v2' | 'at_least_once';
const CASES: Array<[Guarantee, (typeof KAFKA_CLIENTS)[number]]> = [];
for (const guarantee of ['exactly_once_v2', 'at_least_once'] as const)
  for (const client of KAFKA_CLIENTS) CASES.push([guarantee, client]);

/** At-least-once: per key of `expected` every count 1..n at least once, and n the last one. */
function expectEveryCountAndLast(records: readonly Consumed[], expected: ReadonlyMap<string, number>): void {
  const seen = new Map<string, Set<number>>();
  const last = new Map<string, number>();
  // A key's records are all in one output partition, in offset order there.
  for (const r of [...records].sort((x, y) => x.partition - y.partition || x.offset - y.offset)) {
    const n = Number(r.value!.toString());
    seen.set(r.key!, (seen.get(r.key!) ?? new Set()).add(n));
    last.set(r.key!, n);
  }
  for (const [key, n] of expected) {
    const counts = [...(seen.get(key) ?? [])].sort((x, y) => x - y);
    expect({ key, counts, last: last.get(key) }).toEqual({
      key,
      counts: Array.from({ length: n }, (_, i) => i + 1),
      last: n,
    });
  }
}

describe.each(CASES)(
  '%s on %s: a member whose membership was lost without a revocation',
  (guarantee, client) => {
    const id = `${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${client}`;
    const APP = { applicationId: `lm-app-${id}`, input: `lm-in-${id}`, output: `lm-out-${id}` };
    let env: TestBroker;

    beforeAll(async () => {
      env = await startBroker({ groupMinSessionTimeoutMs: 1000, clientId: 'lm-test' });
    });

    afterAll(async () => {
      await killChildApps();
      await env?.broker.stop();
    });

    it('closes its tasks as lost and counts on from the changelogs, not from its stale stores', async () => {
      const run = await CountingRun.create(env, APP, { keys: KEYS, partitions: PARTITIONS });
      const start = (slot: string) =>
        startCountingInstance(
          env.brokers,
          APP,
          slot,
          tempDir('lm'),
          { EOS_DEBUG: '1', KAFKA_CLIENT: client, COMMIT_INTERVAL_MS: '1000' },
          guarantee,
        );
      /** Every input record sent so far is processed and its offset committed (no transaction left open). */
      const allCommitted = async () => {
        let sum = 0;
        for (const o of (await committedOffsets(env.kafka, APP.applicationId, APP.input)).values())
          sum += Math.max(0, o);
        return sum === run.produced && !run.openTransaction();
      };

      const a = start('lm-a');
      await waitFor(() => a.printed('RUNNING') > 0, 60000, 'A RUNNING');
      await run.send(2000);
      await waitFor(allCommitted, 60000, 'A to commit everything');
      // A is idle with nothing uncommitted: it notices nothing when its membership goes.
      a.signal('SIGSTOP');

      // B takes both partitions once A's session expired, and counts on past A's stores. The input
      // goes once B runs: A's last fetch (a long poll of 100 ms) was answered empty long before, so
      // A does not wake up to records (a zombie processing them with stale stores is what
      // exactly-once fences; at-least-once does not, in Kafka Streams either).
      const b = start('lm-b');
      await waitFor(() => b.printed('RUNNING') > 0, 60000, 'B RUNNING');
      await run.send(2000);
      await waitFor(allCommitted, 90000, 'B to process and commit everything');

      // A wakes: its idle fetch comes back empty, its heartbeat is refused and it rejoins.
      const aRuns = a.printed('RUNNING');
      a.signal('SIGCONT');
      await waitFor(() => a.printed('RUNNING') > aRuns, 60000, 'A to rejoin');
      await waitForGroup(env.kafka, APP.applicationId, 2);
      await run.send(2000);
      await waitFor(allCommitted, 90000, 'A and B to process and commit everything');

      const all = await run.committedOutput();
      if (guarantee === 'exactly_once_v2') {
        expectEveryCountOnce(all, run.expected);
        expect(all.length).toBe(run.produced);
      } else expectEveryCountAndLast(all, run.expected);
      expect(a.alive && b.alive).toBe(true);
    });
  },
);
