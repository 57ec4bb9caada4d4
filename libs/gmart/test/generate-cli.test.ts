import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { consume, startBroker, waitFor } from '@gmart/test-support';
import type { Kafka } from 'kafkajs';
import { GmartSerdes, PurchaseGenerator, findCardNumbers, type Purchase } from '../src';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(__dirname, '..', 'src', 'cli', 'generate.ts');
const START = '2026-03-01T09:00:00.000Z';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

function startCli(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', CLI, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: '', TOPIC_TRANSACTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, done };
}

describe('generate CLI against the embedded broker', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;

  beforeAll(async () => {
    ({ broker, kafka } = await startBroker({ clientId: 'gmart-cli-test' }));
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await broker?.stop();
  });

  it('produces exactly --count generated purchases, reproducible from the seed', async () => {
    const count = 600;
    const run = await startCli([
      '--brokers',
      broker.bootstrapServers,
      '--topic',
      'transactions',
      '--count',
      String(count),
      '--rate',
      '5000',
      '--seed',
      '77',
      '--customers',
      '40',
      '--start-time',
      START,
      '--partitions',
      '3',
    ]).done;
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ topic: 'transactions', sent: count });
    // The progress output never carries a card number.
    expect(findCardNumbers(run.stdout + run.stderr)).toEqual([]);

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('transactions');
    await admin.disconnect();
    expect(offsets).toHaveLength(3);
    expect(offsets.reduce((s, o) => s + Number(o.high), 0)).toBe(count);

    const serde = GmartSerdes.Purchase().deserializer();
    const received = (await consume(kafka, 'transactions', count)).map((r) =>
      serde.deserialize('transactions', r.value!)!,
    );
    const expected = new PurchaseGenerator({ seed: 77, customers: 40, startTime: Date.parse(START) }).take(
      count,
    );
    const order = (a: Purchase, b: Purchase) =>
      a.purchaseDate - b.purchaseDate || JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(received.sort(order)).toEqual(expected.sort(order));
  });

  it('runs unbounded until SIGTERM, then reports what it sent', async () => {
    const { child, done } = startCli([
      '--brokers',
      broker.bootstrapServers,
      '--topic',
      'unbounded',
      '--rate',
      '2000',
    ]);
    // Wait until some records are there, then stop it.
    const admin = kafka.admin();
    await admin.connect();
    const produced = async () =>
      (await admin.listTopics()).includes('unbounded')
        ? (await admin.fetchTopicOffsets('unbounded')).reduce((s, o) => s + Number(o.high), 0)
        : 0;
    await waitFor(async () => (await produced()) >= 50, 60_000, '50 records on unbounded', 200);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim()) as { sent: number };
    const final = (await admin.fetchTopicOffsets('unbounded')).reduce((s, o) => s + Number(o.high), 0);
    await admin.disconnect();
    expect(summary.sent).toBe(final);
  });

  it('rejects a bad flag with a message and exit code 2', async () => {
    const run = await startCli(['--rate', 'lots']).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--rate must be a whole number, got "lots"/);
    expect(run.stderr).toMatch(/Usage: npm run generate/);
  });

  it('exits 1 with a message when the broker is unreachable', async () => {
    const run = await startCli(['--brokers', '127.0.0.1:1', '--count', '1']).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/generate: failed: .*(ECONNREFUSED|Connection)/);
  });
});
