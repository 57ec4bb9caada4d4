import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCommitted } from '@gmart/test-support';
import { waitForNoLag } from '../delivery';
import { waitForRecords } from '../../local-stack/topic-reader';
import { produceAcknowledged } from '../purchase-records';
import { checkRewards, maskedPurchaseRecords, setUpRewards } from '../rewards-instance';
import { RssSampler } from '../rss-sampler';
import { Invariants, type Scenario } from '../scenario';
import { StateDisk } from '../state-disk';

/** Size of the state disk. */
const DISK_MB = 8;
/** A clear error names the cause. */
const CLEAR_ERROR = /ENOSPC|no space left|MDB_MAP_FULL|disk full/i;

/**
 * A rewards instance (exactly_once_v2) whose `STATE_DIR` is an 8 MiB tmpfs; once it is running
 * the disk is filled up, then purchases arrive. Invariants: the service stops with an exit code
 * (not killed by a signal) and an error-level log line naming the full disk; after the filler is deleted and the service started again
 * on the same state directory, every purchase has exactly one reward and every customer's total is
 * right (nothing lost, nothing applied twice).
 */
export const fullDisk: Scenario = {
  name: 'full-disk',
  summary: 'state disk full: the service stops with a clear error; nothing lost after space returns',
  defaultRecords: 20_000,
  async run(env, records) {
    const dir = path.join(env.runDir, 'full-disk-state');
    let disk: StateDisk;
    try {
      disk = StateDisk.mount(dir, DISK_MB);
    } catch (err) {
      return {
        failures: [],
        skipped: `not run: cannot mount a ${DISK_MB} MiB tmpfs for the state (${(err as Error).message.split('\n')[0]}); needs root or CAP_SYS_ADMIN`,
        note: '',
      };
    }
    try {
      const r = await setUpRewards(env, 'chaos-full-disk', 3);
      const serviceEnv = { ...r.env, STATE_DIR: dir };
      let rewards = env.startService('rewards', 'full-disk-rewards', serviceEnv);
      await rewards.waitReady(90_000);
      const rss = new RssSampler(() => [rewards.pid]);
      const filled = disk.fill();
      const input = maskedPurchaseRecords('fd', records, 7, 5000);
      const producing = produceAcknowledged(env.kafka, r.input, input, { chunk: 500, pauseMs: 5 });
      const exit = await Promise.race([
        rewards.whenExited(),
        new Promise<undefined>((res) => setTimeout(() => res(undefined), 180_000)),
      ]);
      await producing;
      const log = fs.readFileSync(rewards.options.logFile, 'utf8');
      // An error-level JSON log line (pino `error`/`fatal`) naming the full disk.
      const errorLine =
        log
          .split('\n')
          .map((l) => l.slice(Math.max(0, l.indexOf('{"level":'))))
          .find((l) => CLEAR_ERROR.test(l) && /^\{"level":"(error|fatal)"/.test(l)) ?? '';
      const cause = CLEAR_ERROR.exec(errorLine)?.[0];
      if (rewards.running) await env.stopService(rewards);
      disk.free();
      rewards = env.startService('rewards', 'full-disk-rewards', serviceEnv);
      await rewards.waitReady(120_000);
      await waitForNoLag(env.kafka, r.applicationId, r.input, 300_000);
      // The repartition and output topics are written in transactions (their end offsets count the
      // markers): wait for one reward per purchase instead; missing ones are reported as lost below.
      await waitForRecords(env.kafka, r.output, records, 300_000).catch(() => undefined);
      const out = await readCommitted(env.kafka, r.output, 300_000);
      const check = checkRewards(
        input.map((x) => x.purchase),
        out,
      );
      const peakRssMb = rss.stop();
      await env.stopService(rewards);
      const inv = new Invariants();
      inv.check(exit !== undefined, 'the service kept running on a full state disk');
      inv.check(
        exit === undefined || (exit.signal === null && exit.code !== 0),
        `the service did not exit with an error code (${exit?.signal ?? `code ${exit?.code}`})`,
      );
      inv.check(cause !== undefined, 'no error-level log line names the full disk (ENOSPC)');
      inv.check(check.lost === 0, `${check.lost} purchases without a reward`);
      inv.check(check.duplicates === 0, `${check.duplicates} rewards applied twice`);
      inv.check(check.wrongTotals === 0, `${check.wrongTotals} customers with a wrong total`);
      return {
        recordsIn: records,
        recordsOut: out.length - check.duplicates,
        lost: check.lost,
        duplicates: check.duplicates,
        peakRssMb,
        note:
          `tmpfs ${DISK_MB} MiB, filled with ${(filled / 1048576).toFixed(1)} MiB; ` +
          `exit ${exit ? (exit.signal ?? `code ${exit.code}`) : 'none'} naming ${cause ?? 'nothing'}; ` +
          `restarted after freeing, ${check.wrongTotals} wrong totals`,
        failures: inv.failures,
      };
    } finally {
      try {
        disk.unmount();
      } catch {
        // already gone
      }
    }
  },
};
