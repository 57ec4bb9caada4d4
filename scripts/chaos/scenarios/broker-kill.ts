import { readCommitted } from '@gmart/test-support';
import type { ServiceProcess } from '../../local-stack/service-process';
import { compareKeys, waitForNoLag } from '../delivery';
import { setUpMasking } from '../masking-instance';
import { produceAcknowledged, purchaseRecords } from '../purchase-records';
import { RssSampler } from '../rss-sampler';
import { Invariants, type Scenario } from '../scenario';

/** How long the broker stays down. */
const DOWN_MS = 3000;

/**
 * A steady stream of purchases (acks=all) into masking; once a third is acknowledged the broker
 * process is `kill -9`-ed, left down 3 s and started again on the same port and data directory.
 * The producer retries what was not acknowledged; a masking instance that exits meanwhile is
 * started again. Invariants: every acknowledged record is in the input topic afterwards and
 * reaches the output (0 lost); records written twice by a retried request are counted.
 */
export const brokerKill: Scenario = {
  name: 'broker-kill',
  summary: 'kill -9 the broker under load and restart it: 0 acknowledged records lost',
  defaultRecords: 30_000,
  async run(env, records) {
    const m = await setUpMasking(env, 'chaos-broker-kill', 3);
    let masking: ServiceProcess = env.startService('masking', 'broker-kill-masking', m.env);
    await masking.waitReady(90_000);
    const rss = new RssSampler(() => [masking.pid]);
    const input = purchaseRecords('bk', records, 2);
    let killing: Promise<void> | undefined;
    let downAt = 0;
    const { acked, failedRequests } = await produceAcknowledged(env.kafka, m.input, input, {
      chunk: 200,
      pauseMs: 10,
      onAcked: (n) => {
        if (killing || n < records / 3) return;
        downAt = n;
        killing = (async () => {
          await env.broker.signal('SIGKILL');
          await new Promise((r) => setTimeout(r, DOWN_MS));
          await env.broker.start();
        })();
      },
    });
    await killing;
    let restarts = 0;
    if (!masking.running) {
      restarts++;
      masking = env.startService('masking', 'broker-kill-masking', m.env);
      await masking.waitReady(90_000);
    }
    await waitForNoLag(env.kafka, m.applicationId, m.input, 300_000);
    const keys = input.map((r) => r.key);
    const stored = compareKeys(
      keys,
      (await readCommitted(env.kafka, m.input, 120_000)).map((r) => r.key),
    );
    const out = compareKeys(
      keys,
      (await readCommitted(env.kafka, m.output, 120_000)).map((r) => r.key),
    );
    const dlq = (await readCommitted(env.kafka, m.dlq)).length;
    const peakRssMb = rss.stop();
    await env.stopService(masking);
    const inv = new Invariants();
    inv.check(killing !== undefined, 'the broker was never killed');
    inv.check(stored.lost === 0, `${stored.lost} acknowledged records missing from ${m.input}`);
    inv.check(out.lost === 0, `${out.lost} acknowledged records never reached ${m.output}`);
    inv.check(dlq === 0, `${dlq} valid purchases dead-lettered`);
    return {
      recordsIn: acked,
      recordsOut: out.distinct,
      lost: Math.max(stored.lost, out.lost),
      duplicates: out.duplicates,
      dlq,
      peakRssMb,
      note:
        `broker killed at ${downAt.toLocaleString('en-US')} acked, down ${DOWN_MS / 1000} s; ` +
        `${failedRequests} produce requests failed and resent, ${stored.duplicates} input duplicates` +
        (restarts ? `, masking restarted ${restarts}x` : ', masking rode it out'),
      failures: inv.failures,
    };
  },
};
