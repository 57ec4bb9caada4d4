import { readCommitted, waitFor } from '@gmart/test-support';
import { waitForNoLag } from '../delivery';
import { endOffsetSum, waitForRecords } from '../../local-stack/topic-reader';
import { produceAcknowledged } from '../purchase-records';
import { checkRewards, maskedPurchaseRecords, setUpRewards } from '../rewards-instance';
import { RssSampler } from '../rss-sampler';
import { Invariants, type Scenario } from '../scenario';

/** Past the consumer's session timeout (kafkajs' default 30 s, which the services keep). */
const STOPPED_MS = 40_000;

/**
 * Two rewards instances (exactly_once_v2, its default; a state store per customer). One is
 * SIGSTOPped for 40 s, past its session timeout, while purchases keep coming: the group moves its
 * partitions to the other, which restores the store and goes on. Then the zombie is SIGCONTed: what
 * it still had open must be fenced. Invariants: per customer exactly one reward record per purchase
 * and the last total equal to the sum of the customer's points (no double-applied state).
 */
export const sigstopZombie: Scenario = {
  name: 'sigstop-zombie',
  summary: 'SIGSTOP a rewards instance past its session timeout, then SIGCONT: no double-applied state',
  defaultRecords: 15_000,
  async run(env, records) {
    const r = await setUpRewards(env, 'chaos-sigstop', 4);
    const a = env.startService('rewards', 'sigstop-rewards-a', r.env);
    const b = env.startService('rewards', 'sigstop-rewards-b', r.env);
    await Promise.all([a.waitReady(90_000), b.waitReady(90_000)]);
    const rss = new RssSampler(() => [a.pid, b.pid]);
    const input = maskedPurchaseRecords('sz', records, 4, 300);
    const third = Math.ceil(records / 3);
    await produceAcknowledged(env.kafka, r.input, input.slice(0, third), { chunk: 500 });
    await waitFor(async () => (await endOffsetSum(env.kafka, r.output)) > 0, 120_000, 'first rewards', 500);
    // Stop A in the middle of its work: more input arrives while it is frozen.
    const more = produceAcknowledged(env.kafka, r.input, input.slice(third, 2 * third), {
      chunk: 100,
      pauseMs: 50,
    });
    process.kill(a.pid!, 'SIGSTOP');
    const stoppedAt = Date.now();
    await more;
    await new Promise((res) => setTimeout(res, Math.max(0, STOPPED_MS - (Date.now() - stoppedAt))));
    process.kill(a.pid!, 'SIGCONT');
    await produceAcknowledged(env.kafka, r.input, input.slice(2 * third), { chunk: 500 });
    await waitForNoLag(env.kafka, r.applicationId, r.input, 300_000);
    // The repartition and output topics are written in transactions (their end offsets count the
    // markers): wait for one reward per purchase instead; missing ones are reported as lost below.
    await waitForRecords(env.kafka, r.output, records, 300_000).catch(() => undefined);
    const rewards = await readCommitted(env.kafka, r.output, 300_000);
    const check = checkRewards(
      input.map((x) => x.purchase),
      rewards,
    );
    const peakRssMb = rss.stop();
    const aliveA = a.running;
    const aliveB = b.running;
    await Promise.all([a, b].filter((s) => s.running).map((s) => env.stopService(s)));
    const inv = new Invariants();
    inv.check(check.duplicates === 0, `${check.duplicates} reward records applied twice`);
    inv.check(check.lost === 0, `${check.lost} purchases without a reward`);
    inv.check(check.wrongTotals === 0, `${check.wrongTotals} customers with a wrong total`);
    inv.check(aliveB, 'the instance that kept running exited');
    return {
      recordsIn: records,
      recordsOut: rewards.length - check.duplicates,
      lost: check.lost,
      duplicates: check.duplicates,
      peakRssMb,
      note:
        `stopped ${STOPPED_MS / 1000} s; ${check.customers} customers, ${check.wrongTotals} wrong totals; ` +
        `exactly_once_v2; zombie ${aliveA ? 'rejoined' : 'exited after SIGCONT'}`,
      failures: inv.failures,
    };
  },
};
