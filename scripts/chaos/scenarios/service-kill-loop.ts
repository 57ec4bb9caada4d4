import { readCommitted } from '@gmart/test-support';
import type { ServiceProcess } from '../../local-stack/service-process';
import { compareKeys, committedSum, waitForNoLag } from '../delivery';
import { setUpMasking } from '../masking-instance';
import { produceAcknowledged, purchaseRecords } from '../purchase-records';
import { RssSampler } from '../rss-sampler';
import { Invariants, type Scenario } from '../scenario';

const INSTANCES = 2;

/**
 * Two masking instances (at_least_once, commits every second) over 6 partitions while the
 * purchases are written; every 2-4 s (once the restarted one is ready again) one instance is
 * `kill -9`-ed and started again, until 90% of the input is committed. Invariant: every purchase
 * reaches the output (0 lost); redelivered ones are counted as duplicates.
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
    const producing = produceAcknowledged(env.kafka, m.input, input, { chunk: 1000 }).finally(
      () => (produced = true),
    );
    let kills = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const deadline = Date.now() + 600_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 2000 + random() * 2000));
      const committed = await committedSum(env.kafka, m.applicationId, m.input);
      if (Date.now() > deadline || (kills > 0 && produced && committed >= records * 0.9)) break;
      const slot = kills % INSTANCES;
      await instances[slot]!.kill();
      kills++;
      instances[slot] = start(slot);
      await instances[slot].waitReady(90_000);
    }
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
    inv.check(kills >= 1, 'no instance was killed (input processed before the first kill)');
    inv.check(dlq === 0, `${dlq} valid purchases dead-lettered`);
    return {
      recordsIn: records,
      recordsOut: d.distinct,
      lost: d.lost,
      duplicates: d.duplicates,
      dlq,
      peakRssMb,
      note: `${kills} kill -9 of ${INSTANCES} instances, at_least_once${failedRequests ? `, ${failedRequests} produce retries` : ''}`,
      failures: inv.failures,
    };
  },
};
