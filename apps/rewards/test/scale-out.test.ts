/**
 * Scale-out against the embedded broker: two rewards processes share the partitions of
 * `customer_transactions`; one is stopped mid-stream, the other takes its partitions over
 * (restoring `rewardsPointsStore` from its changelog) and the totals stay exact. Then a fresh
 * instance with an empty state directory replaces the survivor: points carry on from the changelog.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GmartSerdes,
  PurchaseGenerator,
  maskPurchase,
  rewardAccumulatorOf,
  type Purchase,
} from '@gmart/gmart';
import type { Kafka } from 'kafkajs';
import {
  LocalStack,
  type ServiceProcess,
  parsePrometheusText,
  serviceNamed,
  sumOf,
  waitForRecords,
} from '@gmart/test-support/local-stack';

jest.setTimeout(300_000);

const serde = GmartSerdes.Purchase();

async function produce(kafka: Kafka, purchases: Purchase[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < purchases.length; i += 500) {
      await producer.send({
        topic: 'purchases',
        acks: -1,
        messages: purchases
          .slice(i, i + 500)
          .map((p) => ({ key: null, value: serde.serializer().serialize('purchases', p) })),
      });
      await new Promise((r) => setTimeout(r, 20)); // a stream, not one burst
    }
  } finally {
    await producer.disconnect();
  }
}

async function totalsFrom(instance: ServiceProcess, ids: Iterable<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const id of ids) {
    const res = await fetch(`${instance.url}/rewards/${id}`);
    out.set(
      id,
      res.status === 200
        ? ((await res.json()) as { totalRewardPoints: number }).totalRewardPoints
        : -res.status,
    );
  }
  return out;
}

/** Polls the instance until its totals equal `expected` (processing may lag the topic's end), then returns them. */
async function settledTotals(
  instance: ServiceProcess,
  expected: Map<string, number>,
  timeoutMs = 60_000,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let got = await totalsFrom(instance, expected.keys());
  while (Date.now() < deadline && JSON.stringify([...got]) !== JSON.stringify([...expected])) {
    await new Promise((r) => setTimeout(r, 1000));
    got = await totalsFrom(instance, expected.keys());
  }
  return got;
}

async function processed(instance: ServiceProcess): Promise<number> {
  return sumOf(parsePrometheusText((await instance.metrics()) ?? ''), 'kafka_stream_thread_process_total');
}

describe('rewards scale-out', () => {
  let dataDir: string;
  let stack: LocalStack | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-rewards-scale-'));
    stack = await LocalStack.start({
      kafkaPort: 0,
      dataDir,
      services: [serviceNamed('rewards')],
      httpPorts: 'ephemeral',
      serviceEnv: { COMMIT_INTERVAL_MS: '500', SHUTDOWN_TIMEOUT_MS: '20000' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps exact totals when one of two instances stops mid-stream, and across a restart from the changelog', async () => {
    const kafka = stack!.kafka('scale-out-test');
    const rewards = serviceNamed('rewards');
    const purchases = new PurchaseGenerator({ seed: 99, customers: 200 }).take(10_000).map(maskPurchase);

    const first = stack!.instancesOf('rewards')[0]!;
    const second = stack!.startService(rewards, 'rewards-2');
    await second.waitReady(90_000);

    // Phase 1: both instances share the partitions.
    await produce(kafka, purchases.slice(0, 4000));
    await waitForRecords(kafka, 'rewards', 4000, 120_000);
    const [p1, p2] = await Promise.all(
      [first, second].map(
        async (s) =>
          ((await (await fetch(`${s.url}/rewards?top=1`)).json()) as { partitions: number[] }).partitions,
      ),
    );
    expect([...p1!, ...p2!].sort()).toEqual([0, 1, 2]);
    expect(p1!.length).toBeGreaterThan(0);
    expect(p2!.length).toBeGreaterThan(0);
    expect(await processed(first)).toBeGreaterThan(0);
    expect(await processed(second)).toBeGreaterThan(0);
    // Both instances answer for every customer: from their own partitions, or by asking the owner
    // that queryMetadataForKey names; `?local=true` shows which ones the second does not hold.
    const phase1 = new Map<string, number>();
    for (const p of purchases.slice(0, 4000))
      phase1.set(p.customerId, (phase1.get(p.customerId) ?? 0) + rewardAccumulatorOf(p).currentRewardPoints);
    expect(await settledTotals(second, phase1)).toEqual(phase1);
    expect(await settledTotals(first, phase1)).toEqual(phase1);
    const localOnly = await Promise.all(
      [...phase1.keys()].map(async (id) => (await fetch(`${second.url}/rewards/${id}?local=true`)).status),
    );
    expect(localOnly.filter((s) => s === 404).length).toBeGreaterThan(0);
    expect(localOnly.filter((s) => s === 200).length).toBeGreaterThan(0);

    // Phase 2: stop the first instance while purchases keep coming.
    const feeding = produce(kafka, purchases.slice(4000, 8000));
    await new Promise((r) => setTimeout(r, 300));
    expect(await first.stop()).toBe(0);
    await feeding;
    await produce(kafka, purchases.slice(8000, 10_000));
    await waitForRecords(kafka, 'rewards', 10_000, 120_000);
    await second.waitReady(60_000);
    const partial = new Map<string, number>();
    for (const p of purchases.slice(0, 10_000))
      partial.set(
        p.customerId,
        (partial.get(p.customerId) ?? 0) + rewardAccumulatorOf(p).currentRewardPoints,
      );
    expect(await settledTotals(second, partial)).toEqual(partial);

    // Phase 3: a fresh instance (empty state directory) replaces the survivor: the store comes
    // back from its changelog and points keep accumulating.
    const more = new PurchaseGenerator({ seed: 100, customers: 200 }).take(2000).map(maskPurchase);
    const expected = new Map<string, number>();
    for (const p of [...purchases, ...more])
      expected.set(
        p.customerId,
        (expected.get(p.customerId) ?? 0) + rewardAccumulatorOf(p).currentRewardPoints,
      );
    const third = stack!.startService(rewards, 'rewards-3');
    await third.waitReady(90_000);
    expect(await second.stop()).toBe(0);
    await produce(kafka, more);
    await waitForRecords(kafka, 'rewards', 12_000, 120_000);
    await third.waitReady(60_000);
    expect(
      ((await (await fetch(`${third.url}/rewards?top=1`)).json()) as { partitions: number[] }).partitions,
    ).toEqual([0, 1, 2]);
    expect(await settledTotals(third, expected, 30_000)).toEqual(expected);
  });
});
