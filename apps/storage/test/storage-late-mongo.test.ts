import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { EmbeddedMongo } from '@gmart/embedded-mongo';
import { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createTopics, produce, startBroker, startMongo, tempDir, waitFor } from '@gmart/test-support';
import { json, maskedPurchases } from './helpers';

jest.setTimeout(240000);

/** A TCP port nobody listens on now (bound to 0, then released). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Svc {
  readonly child: ChildProcess;
  readonly lines: () => Array<Record<string, unknown>>;
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
}

/**
 * Storage as a process (`src/main.ts`) against a MongoDB that is not there yet (issue 11,
 * finding 3): it waits with capped backoff and works once MongoDB comes up 15 s later; with
 * MongoDB never coming, it exits non-zero naming MongoDB once its budget is spent.
 */
describe('storage service process: MongoDB late or gone', () => {
  let broker: EmbeddedKafka;
  let brokers: string[];
  let kafka: Kafka;
  let mongo: EmbeddedMongo | undefined;
  const children: ChildProcess[] = [];

  function spawnStorage(appId: string, mongoPort: number, extra: Record<string, string> = {}): Svc {
    const child = spawn(
      process.execPath,
      ['--conditions=@gmart/source', '-r', '@swc-node/register', 'src/main.ts'],
      {
        cwd: path.join(__dirname, '..'),
        env: {
          PATH: process.env.PATH,
          KAFKA_BROKERS: brokers.join(','),
          APPLICATION_ID: appId,
          HTTP_PORT: '0',
          HTTP_HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          STATE_DIR: tempDir(`${appId}-state`),
          COMMIT_INTERVAL_MS: '500',
          MONGODB_URI: `mongodb://127.0.0.1:${mongoPort}`,
          MONGODB_DATABASE: 'late',
          ...extra,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let out = '';
    let err = '';
    const parsed: Array<Record<string, unknown>> = [];
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        try {
          parsed.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          /* not JSON */
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, lines: () => parsed, stderr: () => err, exit };
  }

  beforeAll(async () => {
    ({ broker, brokers, kafka } = await startBroker());
    await createTopics(kafka, [
      { topic: 'purchases', numPartitions: 2 },
      { topic: 'gmart-storage-late-dlq' },
      { topic: 'gmart-storage-gone-dlq' },
    ]);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await mongo?.stop();
    await broker?.stop();
  });

  it('waits for a MongoDB started 15 s after it, then stores what arrives; /health/live stays 200', async () => {
    const port = await freePort();
    const svc = spawnStorage('gmart-storage-late', port);
    const retries = () => svc.lines().filter((l) => l.msg === 'MongoDB not reachable yet; retrying');
    // MongoDB stays away until the service has been retrying for 15 s.
    await waitFor(
      () => {
        if (svc.child.exitCode !== null)
          throw new Error(`storage exited ${svc.child.exitCode}: ${svc.stderr()}`);
        const r = retries();
        return r.length > 0 && Date.now() - Date.parse(String(r[0]!.time)) >= 15_000;
      },
      60_000,
      'storage retrying MongoDB for 15 s',
    );
    expect(svc.child.exitCode).toBeNull();
    // Backoff is capped: the delays grow but never exceed 5 s.
    const delays = retries().map((l) => Number(l.retryInMs));
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000);
    expect(delays[0]).toBeLessThan(delays[delays.length - 1]!);

    mongo = await startMongo(tempDir('late-mongo'), port);
    const purchases = maskedPurchases(300, 5, 0.05);
    await produce(
      kafka,
      'purchases',
      purchases.map((p) => ({ key: p.customerId, value: json(p) })),
    );
    const client = new MongoClient(mongo.uri);
    try {
      const expected = purchases.filter((p) => p.price > 5).length;
      await waitFor(
        async () => (await client.db('late').collection('purchases').countDocuments()) === expected,
        120_000,
        'purchases stored after MongoDB came up',
      );
    } finally {
      await client.close();
    }
    const started = svc.lines().find((l) => l.msg === 'service started');
    expect(started).toBeDefined();
    const live = await fetch(`${String(started!.url)}/health/live`);
    expect(live.status).toBe(200);
    expect(svc.child.exitCode).toBeNull();
    svc.child.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
  });

  it('exits non-zero naming MongoDB when it stays unreachable past MONGODB_UNAVAILABLE_BUDGET_MS', async () => {
    const port = await freePort();
    const svc = spawnStorage('gmart-storage-gone', port, { MONGODB_UNAVAILABLE_BUDGET_MS: '3000' });
    const code = await svc.exit;
    expect(code).toBe(1);
    const fatal = svc
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: string; msg: string })
      .find((l) => l.level === 'fatal');
    expect(fatal?.msg).toMatch(/MongoDB unreachable for \d+ ms \(MONGODB_UNAVAILABLE_BUDGET_MS=3000\)/);
  });
});
