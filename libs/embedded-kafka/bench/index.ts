/**
 * Produce/consume throughput of the embedded broker, with librdkafka's mock
 * cluster as the reference in the same run.
 *
 *   npm run bench -w @gmart/embedded-kafka
 *
 * Env: BENCH_KAFKAJS_RECORDS (default 100000), BENCH_KCAT_RECORDS (default 500000).
 * Records are 333-byte JSON documents, sent in batches of 1000 with acks=-1.
 * Prints one line per case and writes all results to bench-results/<time>.json.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { startEmbedded, startMock, type BenchTarget } from './targets';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const RECORD_SIZE = 333;
const BATCH = 1000;
const KAFKAJS_RECORDS = Number(process.env.BENCH_KAFKAJS_RECORDS ?? 100000);
const KCAT_RECORDS = Number(process.env.BENCH_KCAT_RECORDS ?? 500000);
const IN_FLIGHT = 4;

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
  const base = JSON.stringify({ id: i, customerId: `cust-${i % 9973}`, item: 'coffee beans', quantity: (i % 7) + 1, price: 12.5, storeId: `store-${i % 41}`, ts: 1700000000000 + i, pad: '' });
  const pad = RECORD_SIZE - Buffer.byteLength(base);
  return base.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, pad))}"`);
}

function result(name: string, client: Result['client'], target: BenchTarget['name'], records: number, seconds: number): Result {
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
async function createTopic(target: BenchTarget, topic: string): Promise<void> {
  const admin = kafka(target).admin();
  await admin.connect();
  if (target.name === 'embedded') await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  else await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.disconnect();
}

async function kafkajsProduce(target: BenchTarget, topic: string): Promise<Result> {
  const batches: Message[][] = [];
  for (let b = 0; b < KAFKAJS_RECORDS / BATCH; b++) {
    batches.push(Array.from({ length: BATCH }, (_, i) => ({ partition: 0, key: String(b * BATCH + i), value: record(b * BATCH + i) })));
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
  const consumer = kafka(target).consumer({ groupId: `bench-${topic}-${Date.now()}`, maxBytes: 10 << 20, maxBytesPerPartition: 10 << 20, maxWaitTimeInMs: 100 });
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
        if (count >= KAFKAJS_RECORDS) resolve(Number(process.hrtime.bigint() - joined) / 1e9);
      },
    });
  });
  await consumer.disconnect();
  return result('consume (after group join)', 'kafkajs', target.name, count, seconds);
}

function run(cmd: string, args: string[], stdinFile?: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [stdinFile ? fs.openSync(stdinFile, 'r') : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

async function kcatProduce(target: BenchTarget, topic: string, file: string): Promise<Result> {
  const started = process.hrtime.bigint();
  const r = await run(
    'kcat',
    ['-P', '-b', target.bootstrap, '-t', topic, '-p', '0', '-X', 'acks=all', '-X', `batch.num.messages=${BATCH}`, '-X', 'linger.ms=5', '-X', 'queue.buffering.max.kbytes=1048576', '-l', file],
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.code !== 0) throw new Error(`kcat -P failed: ${r.stderr}`);
  return result('produce', 'kcat', target.name, KCAT_RECORDS, seconds);
}

async function kcatConsume(target: BenchTarget, topic: string): Promise<Result> {
  const started = process.hrtime.bigint();
  const r = await run('kcat', ['-C', '-b', target.bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-c', String(KCAT_RECORDS), '-f', '%o\n']);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.code !== 0) throw new Error(`kcat -C failed: ${r.stderr}`);
  return result('consume', 'kcat', target.name, KCAT_RECORDS, seconds);
}

function line(r: Result): string {
  return `${r.client.padEnd(8)} ${r.case.padEnd(27)} ${r.target.padEnd(16)} ${String(r.records).padStart(8)} records ${r.seconds.toFixed(2).padStart(7)} s ${String(r.recordsPerSec).padStart(9)} rec/s ${r.mbPerSec.toFixed(1).padStart(7)} MB/s`;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ek-bench-input-'));
  const file = path.join(tmp, 'records.txt');
  const out = fs.createWriteStream(file);
  for (let i = 0; i < KCAT_RECORDS; i++) out.write(record(i) + '\n');
  await new Promise<void>((resolve) => out.end(resolve));
  console.log(`records of ${RECORD_SIZE} bytes, batches of ${BATCH}, acks=-1; machine: ${os.cpus().length} cpus, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const results: Result[] = [];
  const targets: (() => Promise<BenchTarget>)[] = [startMock, startEmbedded];
  try {
    for (const start of targets) {
      const target = await start();
      try {
        const t = `bench-kafkajs-${Date.now()}`;
        await createTopic(target, t);
        process.stderr.write(`[${target.name}] kafkajs produce/consume...\n`);
        for (const r of [await kafkajsProduce(target, t), await kafkajsConsume(target, t)]) {
          results.push(r);
          console.log(line(r));
        }
        const k = `bench-kcat-${Date.now()}`;
        await createTopic(target, k);
        process.stderr.write(`[${target.name}] kcat produce/consume...\n`);
        for (const r of [await kcatProduce(target, k, file), await kcatConsume(target, k)]) {
          results.push(r);
          console.log(line(r));
        }
      } finally {
        await target.stop();
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const ratio = (c: string, client: string) => {
    const e = results.find((r) => r.case === c && r.client === client && r.target === 'embedded');
    const m = results.find((r) => r.case === c && r.client === client && r.target === 'librdkafka-mock');
    return e && m ? Number((e.recordsPerSec / m.recordsPerSec).toFixed(2)) : null;
  };
  const summary = {
    kafkajsProduceRatio: ratio('produce', 'kafkajs'),
    kafkajsConsumeRatio: ratio('consume (after group join)', 'kafkajs'),
    kcatProduceMBps: results.find((r) => r.client === 'kcat' && r.case === 'produce' && r.target === 'embedded')?.mbPerSec ?? null,
  };
  console.log(`embedded/mock with kafkajs: produce ${summary.kafkajsProduceRatio}x, consume ${summary.kafkajsConsumeRatio}x (target >= 0.9x); kcat produce into embedded: ${summary.kcatProduceMBps} MB/s (target >= 100)`);
  const dir = path.resolve(__dirname, '../bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const outFile = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), results, summary }, null, 2));
  console.log(`written ${path.relative(process.cwd(), outFile)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
