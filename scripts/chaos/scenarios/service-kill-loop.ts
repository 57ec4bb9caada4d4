import { readCommitted } from '@gmart/test-support';
import type { ServiceProcess } from '../../local-stack/service-process';
import { compareKeys, waitForNoLag } from '../delivery';
import { setUpMasking } from '../masking-instance';
import { produceAcknowledged, purchaseRecords } from '../purchase-records';
import { RssSampler } from '../rss-sampler';
import { Invariants, type Scenario } from '../scenario';

const INSTANCES = 2;
/** The purchases are written over about this long (paced), so the loop has time to kill repeatedly. */
const PRODUCE_SECONDS = 90;
/** Fewer kills than this fail the scenario: the loop did not really run. */
const MIN_KILLS = 3;
const CHUNK = 1000;

/**
 * Two masking instances (at_least_once, commits every second) over 6 partitions while the
 * purchases are written at a steady pace over about {@link PRODUCE_SECONDS} s (the services are
 * faster than that: an unpaced burst is processed before the second kill); every 2-4 s the instances
 * take turns: the next one is `kill -9`-ed (once it is ready: a kill lands on a running consumer,
 * not on one still starting) and started again without waiting for it, so the other one keeps
 * working and the next kill comes while the killed one restarts; until the input is written (and at
 * least {@link MIN_KILLS} kills made). Invariants: every purchase reaches the output (0 lost;
 * redelivered ones are counted as duplicates) and at least {@link MIN_KILLS} kills happened (within
 * the loop's 10 minutes).
 */
export const serviceKillLoop: Scenario = {
  name: 'service-kill-loop',
  summary: 'kill -9 a masking instance in a loop while purchases flow: 0 lost, duplicates counted',
  defaultRecords: 200_000,
  async run(env, records) {
    const m = await setUpMasking(env, 'chaos-kill-loop', 6);
    const start = (slot: number) => env.startService('masking', `kill-loop-masking-${slot}`, m.env);
    const instances: ServiceProcess[] = [];
    for (let i = 0; i < INSTANCES; i++) instances.push(start(i));
    await Promise.all(instances.map((s) => s.waitReady(90_000)));
    const rss = new RssSampler(() => instances.map((s) => s.pid));
    const input = purchaseRecords('kl', records, 1);
    let produced = false;
    const pauseMs = Math.round((PRODUCE_SECONDS * 1000) / Math.ceil(records / CHUNK));
    const producing = produceAcknowledged(env.kafka, m.input, input, { chunk: CHUNK, pauseMs }).finally(
      () => (produced = true),
    );
    let kills = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const deadline = Date.now() + 600_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 2000 + random() * 2000));
      // Kills land while the input is written; each one costs the group a rebalance (the killed
      // member's session has to expire), so killing on after that would only stall the drain.
      if (Date.now() > deadline || (produced && kills >= MIN_KILLS)) break;
      const slot = kills % INSTANCES;
      await instances[slot]!.waitReady(90_000);
      await instances[slot]!.kill();
      kills++;
      instances[slot] = start(slot);
    }
    await Promise.all(instances.map((s) => s.waitReady(90_000)));
    const { failedRequests } = await producing;
    await waitForNoLag(env.kafka, m.applicationId, m.input, 300_000);
    const out = await readCommitted(env.kafka, m.output, 300_000);
    const dlq = (await readCommitted(env.kafka, m.dlq)).length;
    const peakRssMb = rss.stop();
    await Promise.all(instances.map((s) => env.stopService(s)));
    const d = compareKeys(
      input.map((r) => r.key),
      out.map((r) => r.key),
    );
    const inv = new Invariants();
    inv.check(d.lost === 0, `${d.lost} purchases lost`);
    inv.check(d.unexpected === 0, `${d.unexpected} records that were never sent`);
    inv.check(
      kills >= MIN_KILLS,
      `only ${kills} kill -9 (at least ${MIN_KILLS} wanted): the input was processed before the loop could kill more`,
    );
    inv.check(dlq === 0, `${dlq} valid purchases dead-lettered`);
    return {
      recordsIn: records,
      recordsOut: d.distinct,
      lost: d.lost,
      duplicates: d.duplicates,
      dlq,
      peakRssMb,
      note: `${kills} kill -9 of ${INSTANCES} instances (input paced over ~${PRODUCE_SECONDS} s), at_least_once${failedRequests ? `, ${failedRequests} produce retries` : ''}`,
      failures: inv.failures,
    };
  },
};
