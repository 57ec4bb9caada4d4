/**
 * `npm run bench:pipeline`: records/s end to end through the G-Mart services against the
 * embedded broker, each service its own process (scripts/local-stack), one line per case:
 *
 * - `reference`: plain kafkajs produce -> consume of the same records on the same broker, same run
 *   (the ceiling the services run under);
 * - `masking`: `transactions` -> masking -> `purchases`;
 * - `masking+patterns+rewards`: `transactions` -> masking -> `purchases` -> patterns and rewards
 *   (through `customer_transactions` and `rewardsPointsStore`) -> `rewards`, with the latency from
 *   the record's timestamp (set when produced to `transactions`) to its arrival in `rewards`;
 * - `pipeline paced`: the same at a fixed input rate, for latency without queueing.
 *
 * Flags: --records <n> (default 50000), --paced-rate <n> (default 1000/s), --paced-seconds <n> (default 10).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { GmartSerdes, PurchaseGenerator } from '@gmart/gmart';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { LocalStack, serviceNamed } from './local-stack';

interface Result {
  name: string;
  records: number;
  seconds: number;
  latenciesMs?: number[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function line(r: Result): string {
  const rate = Math.round(r.records / r.seconds).toLocaleString('en-US');
  let s = `${r.name.padEnd(28)} ${String(r.records).padStart(7)} records  ${r.seconds.toFixed(2).padStart(6)} s  ${rate.padStart(8)} records/s`;
  if (r.latenciesMs?.length) {
    const l = [...r.latenciesMs].sort((a, b) => a - b);
    s += `  latency p50 ${percentile(l, 50).toFixed(0)} ms  p99 ${percentile(l, 99).toFixed(0)} ms  max ${l.at(-1)!.toFixed(0)} ms`;
  }
  return s;
}

/** Counts (and timestamps) the records arriving on `topic` from the beginning. */
async function arrivals(
  kafka: Kafka,
  topic: string,
): Promise<{ consumer: Consumer; count: () => number; latencies: number[] }> {
  const consumer = kafka.consumer({
    groupId: `bench-${topic}-${Date.now()}`,
    maxWaitTimeInMs: 50,
    maxBytes: 32 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let n = 0;
  const latencies: number[] = [];
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) latencies.push(now - Number(m.timestamp));
      n += batch.messages.length;
    },
  });
  return { consumer, count: () => n, latencies };
}

async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function produceAll(kafka: Kafka, topic: string, values: Buffer[], perSecond?: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    const batch = perSecond ? Math.max(1, Math.round(perSecond / 20)) : 1000;
    const started = Date.now();
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < values.length; i += batch) {
      if (perSecond) {
        const due = started + (i / perSecond) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      const now = Date.now();
      inFlight.push(
        producer.send({
          topic,
          acks: -1,
          messages: values.slice(i, i + batch).map((value) => ({ value, timestamp: String(now) })),
        }),
      );
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}

async function runCase(
  name: string,
  services: string[],
  output: string,
  values: Buffer[],
  perSecond?: number,
): Promise<Result> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-bench-'));
  let stack: LocalStack | undefined;
  try {
    stack = await LocalStack.start({
      kafkaPort: 0,
      dataDir,
      services: services.map(serviceNamed),
      httpPorts: 'ephemeral',
    });
    const kafka = stack.kafka('bench');
    const out = await arrivals(kafka, output);
    const started = Date.now();
    await produceAll(kafka, 'transactions', values, perSecond);
    await until(() => out.count() >= values.length, 600_000, `${values.length} records on ${output}`);
    const seconds = (Date.now() - started) / 1000;
    await out.consumer.disconnect();
    return { name, records: values.length, seconds, latenciesMs: out.latencies };
  } finally {
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function reference(values: Buffer[]): Promise<Result> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-bench-ref-'));
  const broker = await EmbeddedKafka.start({ port: 0, dataDir, groupInitialRebalanceDelayMs: 0 });
  try {
    const kafka = new Kafka({
      clientId: 'bench-ref',
      brokers: broker.bootstrapServers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'transactions', numPartitions: 3 }] });
    await admin.disconnect();
    const out = await arrivals(kafka, 'transactions');
    const started = Date.now();
    await produceAll(kafka, 'transactions', values);
    await until(() => out.count() >= values.length, 600_000, 'reference records');
    const seconds = (Date.now() - started) / 1000;
    await out.consumer.disconnect();
    return { name: 'reference kafkajs pipe', records: values.length, seconds, latenciesMs: out.latencies };
  } finally {
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    args: process.argv.slice(2),
    options: {
      records: { type: 'string' },
      'paced-rate': { type: 'string' },
      'paced-seconds': { type: 'string' },
    },
  });
  const n = Number(flags.records ?? 50_000);
  const pacedRate = Number(flags['paced-rate'] ?? 1000);
  const pacedSeconds = Number(flags['paced-seconds'] ?? 10);
  for (const [k, v] of [
    ['records', n],
    ['paced-rate', pacedRate],
    ['paced-seconds', pacedSeconds],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive whole number`);
  }
  const serde = GmartSerdes.Purchase().serializer();
  const values = new PurchaseGenerator({ seed: 1, customers: 1000 })
    .take(n)
    .map((p) => serde.serialize('transactions', p)!);
  console.log(
    `bench:pipeline on ${os.cpus().length} cores, Node ${process.version}, embedded broker, every service its own process`,
  );
  console.log(line(await reference(values)));
  console.log(line(await runCase('masking', ['masking'], 'purchases', values)));
  console.log(
    line(await runCase('masking+patterns+rewards', ['masking', 'patterns', 'rewards'], 'rewards', values)),
  );
  const paced = values.slice(0, Math.min(values.length, pacedRate * pacedSeconds));
  console.log(
    line(
      await runCase(
        `pipeline paced ${pacedRate}/s`,
        ['masking', 'patterns', 'rewards'],
        'rewards',
        paced,
        pacedRate,
      ),
    ),
  );
}

main().catch((err: unknown) => {
  console.error(`bench:pipeline failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
