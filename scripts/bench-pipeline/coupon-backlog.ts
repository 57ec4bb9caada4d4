/**
 * `npm run bench:coupon-backlog`: coupon-join alone on a backlog (see USAGE): how long it takes to
 * turn a fixed number of purchases already in `purchases` into coupons, and how much of that time
 * its main thread ran, waited for a CPU, and slept (waited for fetches, acknowledgements, commits).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GmartSerdes, PurchaseGenerator } from '@gmart/gmart';
import { median } from '@gmart/bench-support';
import { UsageError, parseFlags, runCommandLine, wholeNumber } from '@gmart/command-line';
import { LocalStack, serviceNamed } from '../local-stack';
import { spawnBenchBroker } from './bench-broker';
import { produceAll, rawClient, until } from '../bench-clients/raw-clients';
import { couponCount } from './coupon-model';
import { cpuSecondsOf, mainThreadSchedOf } from './cpu-time';

const USAGE = `Usage: npm run bench:coupon-backlog -- [options]

coupon-join alone on a backlog: the embedded broker, masking and coupon-join (each its own process,
as bench:pipeline starts them, kafkajs, coupon-join's own guarantee: exactly_once_v2); a warm-up goes
through end to end; then each round stops coupon-join (SIGSTOP), sends --records transactions
through masking into \`purchases\`, resumes coupon-join (SIGCONT) and waits until \`coupons\` holds
every coupon a brute-force model expects. Per round and as medians: the seconds to the last coupon,
and the shares of that time coupon-join's main thread ran, waited for a CPU and slept, and its CPU
per purchase (all threads).

  --records <n>        purchases per round (default 50000)
  --warmup <n>         warm-up purchases (default 20000)
  --rounds <n>         rounds (default 5)
  --node-args=<flags> extra Node flags for the services (space-separated)
  --live               do not stop coupon-join: it runs while the input goes through masking, and
                       each round is timed from when \`purchases\` is complete (bench:pipeline's
                       tail); the line adds the time from the first input record sent
  --env <K=V,...>      extra environment for the services
  --keep               keep the data directory (service logs under <dir>/logs)
  -h, --help           show this help
`;

interface Round {
  seconds: number;
  /** Live: from the first input record sent to the last coupon (else the same as `seconds`). */
  total: number;
  ran: number;
  waited: number;
  slept: number;
  cpuUs: number;
}

async function main(): Promise<void> {
  const flags = runCommandLine(
    'bench:coupon-backlog',
    USAGE,
    () => {
      const { values, switches, help } = parseFlags(
        process.argv.slice(2),
        ['records', 'warmup', 'rounds', 'node-args', 'env'],
        { switches: ['keep', 'live'] },
      );
      return {
        help,
        n: wholeNumber('records', values.records, { fallback: 50_000, min: 1 }),
        w: wholeNumber('warmup', values.warmup, { fallback: 20_000, min: 1 }),
        rounds: wholeNumber('rounds', values.rounds, { fallback: 5, min: 1 }),
        nodeArgs: (values['node-args'] ?? '').split(' ').filter(Boolean),
        env: Object.fromEntries(
          (values.env ?? '')
            .split(',')
            .filter(Boolean)
            .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
        ),
        keep: switches.keep,
        live: switches.live,
      };
    },
    [UsageError],
  );
  const { n, w, rounds } = flags;
  const serde = GmartSerdes.Purchase().serializer();
  const purchases = new PurchaseGenerator({ seed: 1, customers: 1000 }).take(w + n * rounds);
  const all = purchases.map((p) => ({ value: serde.serialize('transactions', p)! }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-coupon-backlog-'));
  const broker = await spawnBenchBroker(dataDir);
  let stack: LocalStack | undefined;
  try {
    stack = await LocalStack.start({
      kafkaBrokers: broker.bootstrapServers,
      dataDir,
      services: ['masking', 'coupon-join'].map(serviceNamed),
      httpPorts: 'ephemeral',
      nodeArgs: flags.nodeArgs,
      // A grace longer than the purchases' event-time span: the result does not depend on the order
      // the partitions are read in (as bench:pipeline's coupons case).
      serviceEnv: { KAFKA_CLIENT: 'kafkajs', JOIN_GRACE_MS: '604800000', ...flags.env },
    });
    const pid = stack.services.find((s) => s.instance === 'coupon-join')!.pid!;
    const raw = rawClient('kafkajs', broker.bootstrapServers.split(','));
    const out = await raw.arrivals('coupons');
    const masked = await raw.arrivals('purchases');
    try {
      await produceAll(raw, 'transactions', all.slice(0, w));
      await until(() => out.count() >= couponCount(purchases.slice(0, w)), 600_000, 'the warm-up coupons');
      await new Promise((r) => setTimeout(r, 1000));
      const results: Round[] = [];
      let done = w;
      for (let r = 0; r < rounds; r++) {
        const expected = couponCount(purchases.slice(0, done + n));
        let s0 = mainThreadSchedOf(pid)!;
        let c0 = cpuSecondsOf(pid)!;
        let started = Date.now();
        const sent = Date.now();
        if (flags.live) {
          // Live: coupon-join runs while the input goes through masking; timed from when `purchases` is complete.
          await produceAll(raw, 'transactions', all.slice(done, done + n));
          await until(() => masked.count() >= done + n, 600_000, 'the input on purchases');
          s0 = mainThreadSchedOf(pid)!;
          started = Date.now();
        } else {
          process.kill(pid, 'SIGSTOP');
          await produceAll(raw, 'transactions', all.slice(done, done + n));
          await until(() => masked.count() >= done + n, 600_000, 'the backlog on purchases');
          s0 = mainThreadSchedOf(pid)!;
          c0 = cpuSecondsOf(pid)!;
          started = Date.now();
          process.kill(pid, 'SIGCONT');
        }
        await until(() => out.count() >= expected, 600_000, 'the backlog on coupons');
        const seconds = (Date.now() - started) / 1000;
        const s1 = mainThreadSchedOf(pid)!;
        const ran = (s1.ran - s0.ran) / seconds;
        const waited = (s1.waited - s0.waited) / seconds;
        const round: Round = {
          seconds,
          total: (Date.now() - sent) / 1000,
          ran,
          waited,
          slept: Math.max(0, 1 - ran - waited),
          cpuUs: ((cpuSecondsOf(pid)! - c0) * 1e6) / n,
        };
        results.push(round);
        console.log(`round ${r + 1}: ${line(round)}, load ${os.loadavg()[0]!.toFixed(1)}`);
        done += n;
        await new Promise((res) => setTimeout(res, 500));
      }
      const med = (k: keyof Round) => median(results.map((x) => x[k]));
      console.log(
        `median: ${line({ seconds: med('seconds'), total: med('total'), ran: med('ran'), waited: med('waited'), slept: med('slept'), cpuUs: med('cpuUs') })}`,
      );
    } finally {
      await out.stop();
      await masked.stop();
    }
  } finally {
    await stack?.stop();
    await broker.stop();
    if (flags.keep) console.log(`kept ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

function line(r: Round): string {
  return (
    `${(r.seconds * 1000).toFixed(0)} ms to the last coupon (${(r.total * 1000).toFixed(0)} ms from the first input); main thread ran ${pct(r.ran)}, ` +
    `waited for a CPU ${pct(r.waited)}, slept ${pct(r.slept)}; coupon-join ${r.cpuUs.toFixed(1)} µs/purchase`
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
