/**
 * `npm run bench:rewards-backlog`: the CPU the rewards service spends per purchase, alone on a
 * backlog, so that masking and patterns do not compete with it for the cores (see USAGE).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { GmartSerdes, PurchaseGenerator } from '@gmart/gmart';
import { median } from '@gmart/bench-support';
import { UsageError, parseFlags, runCommandLine, wholeNumber } from '@gmart/command-line';
import { LocalStack, serviceNamed } from '../local-stack';
import { spawnBenchBroker } from './bench-broker';
import { produceAll, rawClient, until } from '../bench-clients/raw-clients';

const USAGE = `Usage: npm run bench:rewards-backlog -- [options]

The rewards service alone on a backlog: the embedded broker, masking and rewards (each its own
process, as bench:pipeline starts them, kafkajs); a warm-up goes through end to end; then each
round stops rewards (SIGSTOP), sends --records transactions through masking into \`purchases\`,
resumes rewards (SIGCONT) and waits until \`rewards\` holds them all. Per round and as medians:
rewards' CPU µs per purchase (all threads, main thread in brackets; user and system), purchases/s,
minor page faults and read/write system calls per purchase. Its RSS at the end.

  --records <n>        purchases per round (default 20000)
  --warmup <n>         warm-up purchases (default 20000)
  --rounds <n>         rounds (default 5)
  --node-args <flags>  extra Node flags for the services (space-separated)
  --perf <file>        perf record (perf on PATH) of rewards during the last round into <file>;
                       the services get --perf-basic-prof so JavaScript frames have names
  --perf-event <e>     the event perf records (default: CPU samples at 1999 Hz), e.g. page-faults
  --keep               keep the data directory (service logs under <dir>/logs)
  -h, --help           show this help
`;

/** utime and stime (s), minor faults and read/write system calls of a process so far. */
function counters(pid: number): { user: number; sys: number; faults: number; reads: number; writes: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
  return {
    faults: Number(f[7]),
    user: Number(f[11]) / 100,
    sys: Number(f[12]) / 100,
    reads: Number(/syscr: (\d+)/.exec(io)![1]),
    writes: Number(/syscw: (\d+)/.exec(io)![1]),
  };
}

/** CPU seconds of a process's main thread so far. */
function mainThreadSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

const statusKiB = (pid: number, field: string): number =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

interface Round {
  cpu: number;
  main: number;
  user: number;
  sys: number;
  rate: number;
  faults: number;
  reads: number;
  writes: number;
}

async function main(): Promise<void> {
  const flags = runCommandLine(
    'bench:rewards-backlog',
    USAGE,
    () => {
      const { values, switches, help } = parseFlags(
        process.argv.slice(2),
        ['records', 'warmup', 'rounds', 'node-args', 'perf', 'perf-event'],
        { switches: ['keep'] },
      );
      return {
        help,
        n: wholeNumber('records', values.records, { fallback: 20_000, min: 1 }),
        w: wholeNumber('warmup', values.warmup, { fallback: 20_000, min: 1 }),
        rounds: wholeNumber('rounds', values.rounds, { fallback: 5, min: 1 }),
        perf: values.perf,
        perfEvent: values['perf-event'],
        nodeArgs: (values['node-args'] ?? '').split(' ').filter(Boolean),
        keep: switches.keep,
      };
    },
    [UsageError],
  );
  const { n, w, rounds, perf } = flags;
  const nodeArgs = [...(perf ? ['--perf-basic-prof'] : []), ...flags.nodeArgs];
  const serde = GmartSerdes.Purchase().serializer();
  const all = new PurchaseGenerator({ seed: 1, customers: 1000 })
    .take(w + n * rounds)
    .map((p) => ({ value: serde.serialize('transactions', p)! }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-rewards-backlog-'));
  const broker = await spawnBenchBroker(dataDir);
  let stack: LocalStack | undefined;
  try {
    stack = await LocalStack.start({
      kafkaBrokers: broker.bootstrapServers,
      dataDir,
      services: ['masking', 'rewards'].map(serviceNamed),
      httpPorts: 'ephemeral',
      nodeArgs,
      serviceEnv: { KAFKA_CLIENT: 'kafkajs' },
    });
    const pid = stack.services.find((s) => s.instance === 'rewards')!.pid!;
    const raw = rawClient('kafkajs', broker.bootstrapServers.split(','));
    const out = await raw.arrivals('rewards');
    const purchases = await raw.arrivals('purchases');
    try {
      await produceAll(raw, 'transactions', all.slice(0, w));
      await until(() => out.count() >= w, 600_000, 'the warm-up purchases on rewards');
      const results: Round[] = [];
      let done = w;
      for (let r = 0; r < rounds; r++) {
        process.kill(pid, 'SIGSTOP');
        await produceAll(raw, 'transactions', all.slice(done, done + n));
        await until(() => purchases.count() >= done + n, 600_000, 'the backlog on purchases');
        const c0 = counters(pid);
        const m0 = mainThreadSeconds(pid);
        const recorder =
          perf !== undefined && r === rounds - 1
            ? spawn(
                'perf',
                [
                  'record',
                  ...(flags.perfEvent ? ['-e', flags.perfEvent] : ['-F', '1999']),
                  '-g',
                  '-p',
                  String(pid),
                  '-o',
                  perf,
                ],
                { stdio: 'ignore' },
              )
            : undefined;
        if (recorder) await new Promise((resolve) => setTimeout(resolve, 300));
        const started = Date.now();
        process.kill(pid, 'SIGCONT');
        await until(() => out.count() >= done + n, 600_000, 'the backlog on rewards');
        const seconds = (Date.now() - started) / 1000;
        if (recorder) {
          recorder.kill('SIGINT');
          await new Promise((resolve) => recorder.on('close', resolve));
        }
        const c1 = counters(pid);
        const per = (a: number, b: number, scale = 1e6) => ((b - a) * scale) / n;
        const round: Round = {
          cpu: per(c0.user + c0.sys, c1.user + c1.sys),
          main: per(m0, mainThreadSeconds(pid)),
          user: per(c0.user, c1.user),
          sys: per(c0.sys, c1.sys),
          rate: n / seconds,
          faults: per(c0.faults, c1.faults, 1),
          reads: per(c0.reads, c1.reads, 1),
          writes: per(c0.writes, c1.writes, 1),
        };
        results.push(round);
        console.log(`round ${r + 1}: ${line(round)}, load ${os.loadavg()[0]!.toFixed(1)}`);
        done += n;
      }
      const med = (k: keyof Round) => median(results.map((x) => x[k]));
      console.log(
        `median: ${line({ cpu: med('cpu'), main: med('main'), user: med('user'), sys: med('sys'), rate: med('rate'), faults: med('faults'), reads: med('reads'), writes: med('writes') })}`,
      );
      console.log(
        `rewards RSS ${Math.round(statusKiB(pid, 'VmRSS') / 1024)} MiB (peak ${Math.round(statusKiB(pid, 'VmHWM') / 1024)} MiB)`,
      );
    } finally {
      await out.stop();
      await purchases.stop();
    }
  } finally {
    await stack?.stop();
    await broker.stop();
    if (flags.keep) console.log(`kept ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function line(r: Round): string {
  return (
    `rewards ${r.cpu.toFixed(1)} µs/purchase (main ${r.main.toFixed(1)}; user ${r.user.toFixed(1)}, system ${r.sys.toFixed(1)}), ` +
    `${Math.round(r.rate)} purchases/s, per purchase ${r.faults.toFixed(2)} page faults, ` +
    `${r.reads.toFixed(3)} reads, ${r.writes.toFixed(3)} writes`
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
