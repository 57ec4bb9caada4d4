/**
 * Produce/consume throughput of the embedded broker, with librdkafka's mock
 * cluster as the reference in the same run.
 *
 *   npm run bench -w @gmart/embedded-kafka
 *
 * Env: BENCH_RUNS (default 5), BENCH_KAFKAJS_RECORDS (default 100000), BENCH_KCAT_RECORDS
 * (default 500000), BENCH_CONSUME_PER_PARTITION (default 12000, on 4 partitions).
 * Each run starts both targets afresh, alternating mock and embedded; every line reports the
 * median of the runs (with the slowest and fastest), and ratios are taken between medians.
 * Records are 333-byte JSON documents, sent in batches of 1000 with acks=-1.
 * The consume cases read 4 x 12000 records because librdkafka's mock cluster keeps
 * only about 5 MB per partition (older data is dropped).
 * Prints one line per case and writes all results to bench-results/<time>.json.
 */
import { benchCommandLine } from '@gmart/command-line';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { startEmbedded, startMock, type BenchTarget } from './targets';

const USAGE = `Usage: npm run bench -w @gmart/embedded-kafka

Produce/consume throughput of the embedded broker against librdkafka's mock cluster (same run).

Settings come from the environment: BENCH_RUNS (default 5), BENCH_KAFKAJS_RECORDS (default 100000), BENCH_KCAT_RECORDS (default 500000),
BENCH_CONSUME_PER_PARTITION (default 12000).

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench @gmart/embedded-kafka', USAGE);

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const RECORD_SIZE = 333;
const BATCH = 1000;
const KAFKAJS_RECORDS = Number(process.env.BENCH_KAFKAJS_RECORDS ?? 100000);
const KCAT_RECORDS = Number(process.env.BENCH_KCAT_RECORDS ?? 500000);
const CONSUME_PER_PARTITION = Number(process.env.BENCH_CONSUME_PER_PARTITION ?? 12000);
const CONSUME_PARTITIONS = 4;
const CONSUME_RECORDS = CONSUME_PER_PARTITION * CONSUME_PARTITIONS;
const IN_FLIGHT = 4;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Result {
  case: string;
  client: 'kafkajs' | 'kcat';
  target: BenchTarget['name'];
  records: number;
  bytes: number;
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
}

/** A 333-byte JSON purchase record. */
function record(i: number): string {
  const base = JSON.stringify({
    id: i,
    customerId: `cust-${i % 9973}`,
    item: 'coffee beans',
    quantity: (i % 7) + 1,
    price: 12.5,
    storeId: `store-${i % 41}`,
    ts: 1700000000000 + i,
    pad: '',
  });
  const pad = RECORD_SIZE - Buffer.byteLength(base);
  return base.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, pad))}"`);
}

function result(
  name: string,
  client: Result['client'],
  target: BenchTarget['name'],
  records: number,
  seconds: number,
): Result {
  const bytes = records * RECORD_SIZE;
  return {
    case: name,
    client,
    target,
    records,
    bytes,
    seconds: Number(seconds.toFixed(3)),
    recordsPerSec: Math.round(records / seconds),
    mbPerSec: Number((bytes / seconds / 1e6).toFixed(1)),
  };
}

function kafka(target: BenchTarget): Kafka {
  return new Kafka({ brokers: [target.bootstrap], clientId: 'bench', logLevel: logLevel.NOTHING });
}

/**
 * Creates the topic: with CreateTopics on the embedded broker (1 partition); the
 * mock auto-creates it (with several partitions). Every case uses partition 0 only.
 */
async function createTopic(target: BenchTarget, topic: string, numPartitions = 1): Promise<void> {
  const admin = kafka(target).admin();
  await admin.connect();
  if (target.name === 'embedded') await admin.createTopics({ topics: [{ topic, numPartitions }] });
  else await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.disconnect();
}

async function kafkajsProduce(target: BenchTarget, topic: string): Promise<Result> {
  const batches: Message[][] = [];
  for (let b = 0; b < KAFKAJS_RECORDS / BATCH; b++) {
    batches.push(
      Array.from({ length: BATCH }, (_, i) => ({
        partition: 0,
        key: String(b * BATCH + i),
        value: record(b * BATCH + i),
      })),
    );
  }
  const producer = kafka(target).producer();
  await producer.connect();
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const b = batches[next++]!;
      await producer.send({ topic, acks: -1, messages: b });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return result('produce', 'kafkajs', target.name, KAFKAJS_RECORDS, seconds);
}

async function kafkajsConsume(target: BenchTarget, topic: string): Promise<Result> {
  const consumer = kafka(target).consumer({
    groupId: `bench-${topic}-${Date.now()}`,
    maxBytes: 10 << 20,
    maxBytesPerPartition: 10 << 20,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  // Timed from the moment the group is joined (fetching starts) to the last record.
  let joined = 0n;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = process.hrtime.bigint();
  });
  const seconds = await new Promise<number>((resolve) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        count += batch.messages.length;
        if (count >= CONSUME_RECORDS) resolve(Number(process.hrtime.bigint() - joined) / 1e9);
      },
    });
  });
  await consumer.disconnect();
  return result('consume (after group join)', 'kafkajs', target.name, count, seconds);
}

/** Fills `topic` with CONSUME_PER_PARTITION records on each of CONSUME_PARTITIONS partitions (not timed). */
async function fillConsumeTopic(target: BenchTarget, topic: string): Promise<void> {
  const producer = kafka(target).producer();
  await producer.connect();
  for (let p = 0; p < CONSUME_PARTITIONS; p++) {
    for (let b = 0; b < CONSUME_PER_PARTITION; b += BATCH) {
      const n = Math.min(BATCH, CONSUME_PER_PARTITION - b);
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: n }, (_, i) => ({ partition: p, value: record(b + i) })),
      });
    }
  }
  await producer.disconnect();
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stderr: string; lines: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let lines = 0;
    child.stdout!.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 10) lines++;
    });
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, lines }));
  });
}

async function kcatProduce(target: BenchTarget, topic: string, file: string): Promise<Result> {
  const started = process.hrtime.bigint();
  const r = await run('kcat', [
    '-P',
    '-b',
    target.bootstrap,
    '-t',
    topic,
    '-p',
    '0',
    '-X',
    'acks=all',
    '-X',
    `batch.num.messages=${BATCH}`,
    '-X',
    'linger.ms=5',
    '-X',
    'queue.buffering.max.kbytes=1048576',
    '-l',
    file,
  ]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.code !== 0) throw new Error(`kcat -P failed: ${r.stderr}`);
  return result('produce', 'kcat', target.name, KCAT_RECORDS, seconds);
}

async function kcatConsume(target: BenchTarget, topic: string): Promise<Result> {
  const started = process.hrtime.bigint();
  const r = await run('kcat', [
    '-C',
    '-b',
    target.bootstrap,
    '-t',
    topic,
    '-o',
    'beginning',
    '-e',
    '-c',
    String(CONSUME_RECORDS),
    '-q',
    '-f',
    '%o\n',
  ]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.code !== 0) throw new Error(`kcat -C failed: ${r.stderr}`);
  if (r.lines !== CONSUME_RECORDS)
    throw new Error(`kcat -C read ${r.lines} records from ${target.name}, expected ${CONSUME_RECORDS}`);
  return result('consume', 'kcat', target.name, r.lines, seconds);
}

/** The median of the runs of one case, by records/s, with the range of all runs. */
interface Summary extends Result {
  runs: number;
  minRecordsPerSec: number;
  maxRecordsPerSec: number;
}

function summarize(runs: Result[]): Summary {
  const sorted = [...runs].sort((a, b) => a.recordsPerSec - b.recordsPerSec);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    ...median,
    runs: runs.length,
    minRecordsPerSec: sorted[0]!.recordsPerSec,
    maxRecordsPerSec: sorted[sorted.length - 1]!.recordsPerSec,
  };
}

function line(r: Summary): string {
  return `${r.client.padEnd(8)} ${r.case.padEnd(27)} ${r.target.padEnd(16)} ${String(r.records).padStart(8)} records  median of ${r.runs}: ${String(r.recordsPerSec).padStart(9)} rec/s ${r.mbPerSec.toFixed(1).padStart(7)} MB/s  (runs ${r.minRecordsPerSec}-${r.maxRecordsPerSec} rec/s)`;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ek-bench-input-'));
  const file = path.join(tmp, 'records.txt');
  const out = fs.createWriteStream(file);
  for (let i = 0; i < KCAT_RECORDS; i++) out.write(record(i) + '\n');
  await new Promise<void>((resolve) => out.end(resolve));
  console.log(
    `records of ${RECORD_SIZE} bytes, batches of ${BATCH}, acks=-1; machine: ${os.cpus().length} cpus, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const runs: Result[] = [];
  const targets: (() => Promise<BenchTarget>)[] = [startMock, startEmbedded];
  try {
    for (let run = 1; run <= RUNS; run++) {
      for (const start of targets) {
        const target = await start();
        try {
          const t = `bench-kafkajs-${Date.now()}`;
          await createTopic(target, t);
          process.stderr.write(
            `[run ${run}/${RUNS}, ${target.name}] kafkajs produce, kcat produce, kafkajs and kcat consume...\n`,
          );
          runs.push(await kafkajsProduce(target, t));
          const k = `bench-kcat-${Date.now()}`;
          await createTopic(target, k);
          runs.push(await kcatProduce(target, k, file));
          const c = `bench-consume-${Date.now()}`;
          await createTopic(target, c, CONSUME_PARTITIONS);
          await fillConsumeTopic(target, c);
          runs.push(await kafkajsConsume(target, c), await kcatConsume(target, c));
        } finally {
          await target.stop();
        }
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const results: Summary[] = [];
  for (const r of runs) {
    if (results.some((s) => s.case === r.case && s.client === r.client && s.target === r.target)) continue;
    results.push(
      summarize(runs.filter((x) => x.case === r.case && x.client === r.client && x.target === r.target)),
    );
  }
  for (const r of results) console.log(line(r));
  const ratio = (c: string, client: string) => {
    const e = results.find((r) => r.case === c && r.client === client && r.target === 'embedded');
    const m = results.find((r) => r.case === c && r.client === client && r.target === 'librdkafka-mock');
    return e && m ? Number((e.recordsPerSec / m.recordsPerSec).toFixed(2)) : null;
  };
  const summary = {
    kafkajsProduceRatio: ratio('produce', 'kafkajs'),
    kafkajsConsumeRatio: ratio('consume (after group join)', 'kafkajs'),
    kcatProduceMBps:
      results.find((r) => r.client === 'kcat' && r.case === 'produce' && r.target === 'embedded')?.mbPerSec ??
      null,
  };
  console.log(
    `medians: embedded/mock with kafkajs: produce ${summary.kafkajsProduceRatio}x, consume ${summary.kafkajsConsumeRatio}x (target >= 0.9x); kcat produce into embedded: ${summary.kcatProduceMBps} MB/s (target >= 100)`,
  );
  const dir = path.resolve(__dirname, '../bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const outFile = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(
    outFile,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        loadavg: os.loadavg(),
        results,
        runs,
        summary,
      },
      null,
      2,
    ),
  );
  console.log(`written ${path.relative(process.cwd(), outFile)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
