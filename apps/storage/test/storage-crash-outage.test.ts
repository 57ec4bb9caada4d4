import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { EmbeddedMongo } from '@gmart/embedded-mongo';
import type { Purchase } from '@gmart/gmart';
import { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { purchaseId } from '../src';
import { createTopics, produce, startBroker, startMongo, tempDir, waitFor } from '@gmart/test-support';
import { json, maskedPurchases } from './helpers';

jest.setTimeout(240000);
const APP_ID = 'gmart-storage-e2e';

/**
 * The storage service as a separate process (`src/main.ts`), killed with SIGKILL mid-stream and
 * restarted, then MongoDB stopped for 10 s and restarted on the same port and data directory.
 */
describe('storage service process: kill -9 and a MongoDB outage lose and duplicate nothing', () => {
  let broker: EmbeddedKafka;
  let brokers: string[];
  let kafka: Kafka;
  let mongo: EmbeddedMongo;
  let mongoDir: string;
  let client: MongoClient;
  const stateDir = tempDir('storage-e2e-state');
  const children: ChildProcess[] = [];
  let current: { child: ChildProcess; url: () => string | undefined; stderr: () => string } | undefined;

  const idOf = (p: Purchase) => purchaseId({ value: p } as never, null) as string;
  const purchasesColl = () => client.db('e2e').collection('purchases');
  const auditColl = () => client.db('e2e').collection('security_audit');
  const storedIds = async (which: 'purchases' | 'audit') =>
    (
      await (which === 'purchases' ? purchasesColl() : auditColl())
        .find({}, { projection: { _id: 1 } })
        .toArray()
    )
      .map((d) => d._id as unknown as string)
      .sort();

  function spawnService(): { child: ChildProcess; url: () => string | undefined; stderr: () => string } {
    const child = spawn(
      process.execPath,
      ['--conditions=@gmart/source', '-r', '@swc-node/register', 'src/main.ts'],
      {
        cwd: path.join(__dirname, '..'),
        env: {
          PATH: process.env.PATH,
          KAFKA_BROKERS: brokers.join(','),
          APPLICATION_ID: APP_ID,
          HTTP_PORT: '0',
          LOG_LEVEL: 'info',
          STATE_DIR: stateDir,
          COMMIT_INTERVAL_MS: '1000',
          MONGODB_URI: mongo.uri,
          MONGODB_DATABASE: 'e2e',
          MONGODB_BATCH_SIZE: '500',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let url: string | undefined;
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        if (!line.includes('service started')) continue;
        try {
          url = JSON.parse(line).url;
        } catch {
          /* not JSON */
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    return { child, url: () => url, stderr: () => err };
  }

  async function started(svc: {
    child: ChildProcess;
    url: () => string | undefined;
    stderr: () => string;
  }): Promise<void> {
    await waitFor(
      () => {
        if (svc.child.exitCode !== null)
          throw new Error(`service exited ${svc.child.exitCode}: ${svc.stderr()}`);
        return svc.url() !== undefined;
      },
      90000,
      'storage service started',
    );
  }

  beforeAll(async () => {
    ({ broker, brokers, kafka } = await startBroker());
    mongoDir = tempDir('storage-e2e-mongo');
    mongo = await startMongo(mongoDir);
    client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 2000 });
    await client.connect();
    await createTopics(kafka, [{ topic: 'purchases', numPartitions: 3 }, { topic: `${APP_ID}-dlq` }]);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await client?.close();
    await mongo?.stop();
    await broker?.stop();
  });

  const all = maskedPurchases(8000, 21, 0.02);
  const firstRun = all.slice(0, 6000);
  const duringOutage = all.slice(6000);
  const asRecords = (ps: Purchase[]) => ps.map((p) => ({ key: p.customerId, value: json(p) }));
  const expectedPurchases = (ps: Purchase[]) => [...new Set(ps.filter((p) => p.price > 5).map(idOf))].sort();
  const expectedAudit = (ps: Purchase[]) =>
    [...new Set(ps.filter((p) => p.employeeId === '000000').map(idOf))].sort();

  it('every generated purchase is distinct (so one document per purchase is the exact expectation)', () => {
    expect(new Set(all.map(idOf)).size).toBe(all.length);
  });

  it('after a kill -9 mid-stream and a restart: exactly one document per qualifying purchase', async () => {
    await produce(kafka, 'purchases', asRecords(firstRun.slice(0, 3000)));
    const a = spawnService();
    current = a;
    await started(a);
    const producing = produce(kafka, 'purchases', asRecords(firstRun.slice(3000)), 100);
    await waitFor(
      async () => (await purchasesColl().countDocuments()) > 500,
      90000,
      'first documents stored',
    );
    a.child.kill('SIGKILL');
    await new Promise((r) =>
      a.child.exitCode !== null || a.child.signalCode !== null ? r(null) : a.child.once('exit', r),
    );
    expect(a.child.signalCode).toBe('SIGKILL');
    await producing;
    const stored = await purchasesColl().countDocuments();
    const want = expectedPurchases(firstRun);
    expect(stored).toBeLessThan(want.length);

    const b = spawnService();
    current = b;
    await started(b);
    await waitFor(
      async () => (await purchasesColl().countDocuments()) >= want.length,
      120000,
      'all purchases stored after restart',
    );
    await waitFor(
      async () => (await auditColl().countDocuments()) >= expectedAudit(firstRun).length,
      60000,
      'audit stored',
    );
    expect(await storedIds('purchases')).toEqual(want);
    expect(await storedIds('audit')).toEqual(expectedAudit(firstRun));
    expect(expectedAudit(firstRun).length).toBeGreaterThan(20);
  });

  it('a 10 s MongoDB outage pauses the service; after the restart nothing is lost or duplicated', async () => {
    const svc = current!;
    const port = mongo.port;
    await mongo.stop();
    const outageEnds = Date.now() + 10_000;
    await produce(kafka, 'purchases', asRecords(duringOutage));
    const url = svc.url()!;
    await waitFor(
      async () => (await fetch(`${url}/purchases`)).status === 503,
      30_000,
      'queries answered 503 during the outage',
    );
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    // The outage lasts 10 s; the service stays up and live all along.
    while (Date.now() < outageEnds) {
      expect(svc.child.exitCode).toBeNull();
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect(svc.child.exitCode).toBeNull();
    mongo = await startMongo(mongoDir, port);
    const want = expectedPurchases(all);
    await waitFor(
      async () => (await purchasesColl().countDocuments()) >= want.length,
      120000,
      'purchases stored after the outage',
    );
    await waitFor(
      async () => (await auditColl().countDocuments()) >= expectedAudit(all).length,
      60000,
      'audit stored after the outage',
    );
    expect(await storedIds('purchases')).toEqual(want);
    expect(await storedIds('audit')).toEqual(expectedAudit(all));
    const page = await fetch(`${url}/purchases?pageSize=1`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { total: number }).total).toBe(want.length);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/mongodb_sink_retries_total\{[^}]*sink="purchases"[^}]*\} [1-9]/);
    svc.child.kill('SIGTERM');
    await new Promise((r) => (svc.child.exitCode !== null ? r(null) : svc.child.once('exit', r)));
    expect(svc.child.exitCode).toBe(0);
  });
});
