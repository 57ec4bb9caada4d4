/**
 * `npm start`: the whole G-Mart pipeline on this machine, no Docker needed.
 *
 * - the embedded Kafka-protocol broker on localhost:9092 (data under .data/kafka), or the cluster
 *   in `KAFKA_BROKERS` when set;
 * - the embedded MongoDB when the storage service exists and `MONGODB_URI` is unset;
 * - the topics of deploy/topics.yaml;
 * - every service (masking 8081, patterns 8082, rewards 8083, storage 8084, coupon-join 8085,
 *   stock-analytics 8086) as its own process, logs under .data/logs;
 * - the purchase generator at a modest rate (`--rate`, default 20/s) and the stock generator
 *   (`--stock-rate`, default 20 transactions/s);
 * - supervision: a service process that exits unasked (crash, `kill -9`, exit on ERROR) is
 *   restarted after a capped exponential backoff (1 s, 2 s, 4 s ... 30 s), with a line saying
 *   which service exited (code or signal) and when it is restarted;
 * - a live view every few seconds: input rate, each service's streams state (RUNNING /
 *   REBALANCING / ERROR / down), processed rate and consumer-group lag (from the embedded broker's
 *   group metrics, so a stalled service shows its real lag), top customers by reward points,
 *   documents stored, coupons issued, stock transactions and the top movers.
 *
 * Ctrl-C (or SIGTERM) stops the generator, the services, MongoDB and the broker, in that order.
 *
 * Flags: see USAGE (`npm start -- --help`); a bad flag prints the problem and the usage and exits 2.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, TS_NODE_ARGS } from './local-stack/repo-root';

interface StartOptions {
  rate: number;
  stockRate: number;
  intervalMs: number;
  dataDir: string;
  kafkaPort: number;
  kafkaMetricsPort: number;
  httpPorts: 'default' | 'ephemeral';
}

const USAGE = `Usage: npm start -- [options]

The whole G-Mart pipeline on this machine: embedded broker (or KAFKA_BROKERS), embedded MongoDB (or
MONGODB_URI), the topics, every service, both generators and a live view. Ctrl-C stops everything.

  --rate <n>                   purchases per second from the generator (default 20)
  --stock-rate <n>             stock transactions per second (default 20)
  --interval-ms <n>            live view period (default 5000, at least 200)
  --data-dir <dir>             data and logs (default $GMART_DATA_DIR or .data)
  --kafka-port <n>             embedded broker port (default $KAFKA_PORT or 9092; 0 = any free port)
  --kafka-metrics-port <n>     embedded broker metrics port (default 9308; 0 = any free port)
  --http-ports default|ephemeral  services on 8081-8086 or on any free ports (default default)
  -h, --help                   show this help
`;

function usage(problem: string): never {
  process.stderr.write(`npm start: ${problem}\n\n${USAGE}`);
  process.exit(2);
}

function parseOptions(argv: string[]): StartOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        rate: { type: 'string' },
        'stock-rate': { type: 'string' },
        'interval-ms': { type: 'string' },
        'data-dir': { type: 'string' },
        'kafka-port': { type: 'string' },
        'kafka-metrics-port': { type: 'string' },
        'http-ports': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const str = (k: string) => values[k] as string | undefined;
  const int = (name: string, v: string | undefined, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v) || Number(v) < min) usage(`--${name} must be a whole number >= ${min}, got "${v}"`);
    return Number(v);
  };
  const httpPorts = str('http-ports') ?? 'default';
  if (httpPorts !== 'default' && httpPorts !== 'ephemeral')
    usage(`--http-ports must be default or ephemeral, got "${httpPorts}"`);
  return {
    rate: int('rate', str('rate'), 20, 1),
    stockRate: int('stock-rate', str('stock-rate'), 20, 1),
    intervalMs: int('interval-ms', str('interval-ms'), 5000, 200),
    dataDir: path.resolve(str('data-dir') ?? process.env.GMART_DATA_DIR ?? '.data'),
    kafkaPort: int('kafka-port', str('kafka-port') ?? process.env.KAFKA_PORT, 9092, 0),
    kafkaMetricsPort: int('kafka-metrics-port', str('kafka-metrics-port'), 9308, 0),
    httpPorts,
  };
}

function startGenerator(
  brokers: string,
  rate: number,
  cli = 'generate.ts',
  name = 'generator',
): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      ...TS_NODE_ARGS,
      path.join(REPO_ROOT, 'libs/gmart/src/cli', cli),
      '--rate',
      String(rate),
      '--brokers',
      brokers,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: process.env },
  );
  child.stderr!.on('data', (b: Buffer) => {
    const text = b.toString('utf8');
    // Progress lines are noise next to the live view; problems are not.
    if (/error|fail|usage/i.test(text)) process.stderr.write(`${name}: ${text}`);
  });
  return child;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Loaded once the flags are checked: `--help` and a bad flag answer without loading the stack.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LiveView, LocalStack, renderFrame } = require('./local-stack') as typeof import('./local-stack');
  const say = (m: string) => console.log(m);
  say(`G-Mart local stack (data: ${options.dataDir}); Ctrl-C stops everything`);
  const stack = await LocalStack.start({
    kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
    kafkaPort: options.kafkaPort,
    kafkaMetricsPort: options.kafkaMetricsPort,
    mongodbUri: process.env.MONGODB_URI || undefined,
    dataDir: options.dataDir,
    httpPorts: options.httpPorts,
    serviceEnv: { COMMIT_INTERVAL_MS: '1000' },
    supervise: true,
    say,
  });
  const generator = startGenerator(stack.brokers, options.rate);
  const stockGenerator = startGenerator(
    stack.brokers,
    options.stockRate,
    'generate-stocks.ts',
    'stock generator',
  );
  say(`generator producing ${options.rate} purchases/s to transactions`);
  say(`stock generator producing ${options.stockRate} stock transactions/s to stock-transactions`);
  for (const s of stack.services)
    say(`  ${s.instance} (pid ${s.pid}): ${s.url}/metrics  ${s.url}/health/ready`);

  const view = new LiveView(
    stack.kafka('gmart-live-view'),
    () => stack.services,
    undefined,
    undefined,
    undefined,
    stack.brokerMetricsUrl,
  );
  let stopping = false;
  let sampling = false;
  const timer = setInterval(() => {
    if (sampling || stopping) return;
    sampling = true;
    view
      .sample()
      .then((frame) => {
        if (!stopping) console.log(renderFrame(frame));
      })
      .catch((err: unknown) => console.error(`live view: ${(err as Error).message}`))
      .finally(() => (sampling = false));
  }, options.intervalMs);

  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    say(`${signal}: stopping the generators, the services and the broker`);
    for (const child of [generator, stockGenerator]) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
    await stack.stop();
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
