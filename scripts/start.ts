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
 * - a live view every few seconds: input rate, each service's processed rate and lag, top
 *   customers by reward points, documents stored, coupons issued, stock transactions and the top
 *   movers.
 *
 * Ctrl-C (or SIGTERM) stops the generator, the services, MongoDB and the broker, in that order.
 *
 * Flags: --rate <n> (default 20), --stock-rate <n> (default 20), --interval-ms <n> (live view, default 5000), --data-dir <dir>
 * (default .data), --kafka-port <n> (default 9092; 0 = any), --http-ports default|ephemeral.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LiveView, LocalStack, REPO_ROOT, TS_NODE_ARGS, renderFrame } from './local-stack';

interface StartOptions {
  rate: number;
  stockRate: number;
  intervalMs: number;
  dataDir: string;
  kafkaPort: number;
  kafkaMetricsPort: number;
  httpPorts: 'default' | 'ephemeral';
}

function usage(problem: string): never {
  process.stderr.write(
    `npm start: ${problem}\nUsage: npm start -- [--rate 20] [--stock-rate 20] [--interval-ms 5000] [--data-dir .data] [--kafka-port 9092] [--kafka-metrics-port 9308] [--http-ports default|ephemeral]\n`,
  );
  process.exit(2);
}

function parseOptions(argv: string[]): StartOptions {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        rate: { type: 'string' },
        'stock-rate': { type: 'string' },
        'interval-ms': { type: 'string' },
        'data-dir': { type: 'string' },
        'kafka-port': { type: 'string' },
        'kafka-metrics-port': { type: 'string' },
        'http-ports': { type: 'string' },
      },
    }) as { values: Record<string, string | undefined> });
  } catch (err) {
    usage((err as Error).message);
  }
  const int = (name: string, v: string | undefined, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v) || Number(v) < min) usage(`--${name} must be a whole number >= ${min}, got "${v}"`);
    return Number(v);
  };
  const httpPorts = values['http-ports'] ?? 'default';
  if (httpPorts !== 'default' && httpPorts !== 'ephemeral')
    usage(`--http-ports must be default or ephemeral, got "${httpPorts}"`);
  return {
    rate: int('rate', values.rate, 20, 1),
    stockRate: int('stock-rate', values['stock-rate'], 20, 1),
    intervalMs: int('interval-ms', values['interval-ms'], 5000, 200),
    dataDir: path.resolve(values['data-dir'] ?? process.env.GMART_DATA_DIR ?? '.data'),
    kafkaPort: int('kafka-port', values['kafka-port'] ?? process.env.KAFKA_PORT, 9092, 0),
    kafkaMetricsPort: int('kafka-metrics-port', values['kafka-metrics-port'], 9308, 0),
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
  for (const s of stack.services) say(`  ${s.instance}: ${s.url}/metrics  ${s.url}/health/ready`);

  const view = new LiveView(stack.kafka('gmart-live-view'), () => stack.services.filter((s) => s.running));
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
