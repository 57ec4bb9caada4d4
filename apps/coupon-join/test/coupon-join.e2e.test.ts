/**
 * End to end over the embedded broker, masking and coupon-join each its own process
 * (scripts/local-stack): generated purchases with card numbers in clear go into `transactions`;
 * the coupons coming out equal a brute-force model computed here from the same purchases; a
 * `kill -9` of coupon-join mid-stream and a restart on the same state directory lose no coupon;
 * `GET /coupons/:customerId` answers from the store; a malformed purchase goes to the
 * dead-letter topic; and no card number appears in coffee, electronics, coupons, the internal
 * topics, the logs or `/metrics`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type CorrelatedPurchase,
  GmartSerdes,
  PurchaseGenerator,
  type Purchase,
  correlatePurchases,
  findCardNumbers,
  maskPurchase,
} from '@gmart/gmart';
import type { Kafka } from 'kafkajs';
import {
  LocalStack,
  type ServiceProcess,
  parsePrometheusText,
  readTopic,
  scanForCardNumbers,
  serviceNamed,
  sumOf,
  waitForRecords,
} from '@gmart/test-support/local-stack';
import type { CustomerCouponsView } from '../src';

jest.setTimeout(420_000);

const N = 3000;
const WINDOW = 20 * 60_000;
const purchaseSerde = GmartSerdes.Purchase();
const couponSerde = GmartSerdes.CorrelatedPurchase();

async function produce(kafka: Kafka, topic: string, values: Array<Buffer | string>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: values.slice(i, i + 500).map((value) => ({ key: null, value })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

const keyOf = (c: CorrelatedPurchase) =>
  JSON.stringify([c.customerId, c.firstPurchaseDate, c.secondPurchaseDate, c.itemsPurchased, c.totalAmount]);

/** The seed's inner join, brute force: every coffee/electronics pair of a customer within 20 minutes. */
function model(purchases: Purchase[]): CorrelatedPurchase[] {
  const masked = purchases.map(maskPurchase);
  const out: CorrelatedPurchase[] = [];
  for (const c of masked.filter((p) => p.department === 'coffee'))
    for (const e of masked.filter((p) => p.department === 'electronics'))
      if (c.customerId === e.customerId && Math.abs(c.purchaseDate - e.purchaseDate) <= WINDOW)
        out.push(correlatePurchases(c, e));
  return out;
}

async function distinctCoupons(kafka: Kafka): Promise<Set<string>> {
  const records = await readTopic(kafka, 'coupons');
  return new Set(records.map((r) => keyOf(couponSerde.deserializer().deserialize('coupons', r.value)!)));
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('coupon-join end to end (masking and coupon-join as separate processes)', () => {
  let dataDir: string;
  let stack: LocalStack | undefined;
  let kafka: Kafka;
  const purchases = new PurchaseGenerator({ seed: 417, customers: 40, meanIntervalMs: 20_000 }).take(N);
  const expected = model(purchases);
  const expectedKeys = new Set(expected.map(keyOf));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-coupon-join-'));
    stack = await LocalStack.start({
      kafkaPort: 0,
      dataDir,
      services: ['masking', 'coupon-join'].map(serviceNamed),
      httpPorts: 'ephemeral',
      // The purchases go in as two bulk batches spanning ~17 hours of event time; masking and the
      // join's tasks then read the partitions at different speeds, so event time arrives out of
      // order by hours (unlike a live feed). A grace longer than the whole span keeps every
      // purchase joinable, so the inner join's result is exactly the model's whatever the order.
      serviceEnv: { COMMIT_INTERVAL_MS: '500', SHUTDOWN_TIMEOUT_MS: '15000', JOIN_GRACE_MS: '86400000' },
    });
    kafka = stack.kafka('coupon-join-e2e');
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('issues exactly the model coupons, and loses none across a kill -9 and restart mid-stream', async () => {
    // The model is meaningful: many coupons, each distinct, spread over many customers.
    expect(expected.length).toBeGreaterThan(100);
    expect(expectedKeys.size).toBe(expected.length);
    const serialize = (p: Purchase) => purchaseSerde.serializer().serialize('transactions', p)!;
    const half = N / 2;
    await produce(kafka, 'transactions', purchases.slice(0, half).map(serialize));
    await waitForRecords(kafka, 'coupons', 1, 180_000);

    // Crash coupon-join while the first half is (likely still) being processed; the second half
    // arrives while it is down.
    let service: ServiceProcess = stack!.instancesOf('coupon-join')[0]!;
    await service.kill();
    await produce(kafka, 'transactions', purchases.slice(half).map(serialize));
    service = stack!.startService(serviceNamed('coupon-join'), 'coupon-join');
    await service.waitReady(120_000);

    // Every model coupon reaches `coupons` (at least once: a replay after the crash may repeat
    // one), and nothing else does.
    const got = await until('every model coupon on coupons', 240_000, async () => {
      const s = await distinctCoupons(kafka);
      return s.size >= expectedKeys.size ? s : undefined;
    });
    expect([...got].sort()).toEqual([...expectedKeys].sort());

    // coffee/electronics: every masked coffee/electronics purchase, keyed by customer id.
    for (const dept of ['coffee', 'electronics']) {
      const want = purchases.filter((p) => p.department === dept).length;
      const records = await readTopic(kafka, dept);
      const distinct = new Set(records.map((r) => `${r.key}|${r.value}`));
      expect(distinct.size).toBe(want);
      for (const r of records) {
        const p = purchaseSerde.deserializer().deserialize(dept, r.value)!;
        expect(r.key!.toString()).toBe(p.customerId);
        expect(p.department).toBe(dept);
      }
    }

    // GET /coupons/:customerId: exactly the customer's model coupons, latest first (the store
    // de-duplicates replays).
    const url = service.url!;
    const byCustomer = new Map<string, CorrelatedPurchase[]>();
    for (const c of expected) byCustomer.set(c.customerId, [...(byCustomer.get(c.customerId) ?? []), c]);
    for (const [id, mine] of byCustomer) {
      const res = await fetch(`${url}/coupons/${id}`);
      expect(res.status).toBe(200);
      const view = (await res.json()) as CustomerCouponsView;
      const held = view.coupons.map((j) =>
        couponSerde.deserializer().deserialize('coupons', Buffer.from(JSON.stringify(j)))!,
      );
      const times = held.map((c) => Math.max(c.firstPurchaseDate!, c.secondPurchaseDate!));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const limit = 50;
      expect(held.length).toBe(Math.min(limit, mine.length));
      if (mine.length <= limit) expect(held.map(keyOf).sort()).toEqual(mine.map(keyOf).sort());
    }
    const noCoupons = purchases.find((p) => !byCustomer.has(p.customerId))?.customerId ?? 'no-such-customer';
    expect((await fetch(`${url}/coupons/${noCoupons}`)).status).toBe(404);
    expect((await fetch(`${url}/coupons/${encodeURIComponent('bad id!')}`)).status).toBe(400);
    expect((await fetch(`${url}/coupons/${[...byCustomer.keys()][0]}?local=maybe`)).status).toBe(400);

    // Its own metric counts matched coupons.
    const metrics = parsePrometheusText((await service.metrics()) ?? '');
    expect(sumOf(metrics, 'gmart_coupons_issued_total')).toBeGreaterThan(0);
  });

  it('sends a malformed purchase to gmart-coupon-join-dlq with its reason and keeps running', async () => {
    const good = JSON.parse(
      purchaseSerde.serializer().serialize('purchases', maskPurchase(purchases[0]!))!.toString(),
    );
    await produce(kafka, 'purchases', [
      JSON.stringify({ ...good, department: undefined }),
      '{"customerId": "broken",',
    ]);
    await waitForRecords(kafka, 'gmart-coupon-join-dlq', 2, 60_000);
    const dead = await readTopic(kafka, 'gmart-coupon-join-dlq');
    expect(dead).toHaveLength(2);
    const reasons = dead.map((r) => r.headers['__streams.errors.message']?.toString() ?? '').join('\n');
    expect(reasons).toMatch(/department/);
    expect(reasons).toMatch(/not valid JSON/);
    const service = stack!.instancesOf('coupon-join')[0]!;
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
  });

  it('leaves no card number in coffee, electronics, coupons, internal topics, logs or /metrics', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t !== 'transactions');
    await admin.disconnect();
    expect(topics).toEqual(
      expect.arrayContaining([
        'coffee',
        'electronics',
        'coupons',
        'gmart-coupon-join-dlq',
        'gmart-coupon-join-couponsStore-changelog',
        'gmart-coupon-join-coupon-join-left-repartition',
        'gmart-coupon-join-coupon-join-right-repartition',
      ]),
    );
    // The join's window stores have changelogs too.
    expect(
      topics.filter((t) => t.startsWith('gmart-coupon-join-coupon-join') && t.endsWith('-changelog')).length,
    ).toBeGreaterThanOrEqual(2);
    const findings: string[] = [];
    for (const topic of topics) {
      for (const r of await readTopic(kafka, topic)) {
        for (const b of [r.key, r.value, ...Object.values(r.headers)].filter((x): x is Buffer => !!x))
          for (const m of scanForCardNumbers(b.toString('latin1')))
            findings.push(`${topic}-${r.partition}@${r.offset}: ${m.masked}`);
      }
    }
    // The scan finds the numbers where they are in clear.
    const clear = await readTopic(kafka, 'transactions');
    expect(
      clear.filter((r) => findCardNumbers(r.value!.toString('latin1')).length > 0).length,
    ).toBeGreaterThanOrEqual(N);
    for (const s of stack!.services.filter((x) => x.running)) {
      const metrics = await s.metrics();
      expect(metrics).toContain('kafka_stream_thread_process_total');
      for (const m of scanForCardNumbers(metrics!)) findings.push(`${s.instance} /metrics: ${m.masked}`);
    }
    for (const instance of ['masking', 'coupon-join']) {
      const log = fs.readFileSync(stack!.logFileOf(instance), 'utf8');
      expect(log.length).toBeGreaterThan(0);
      for (const m of scanForCardNumbers(log)) findings.push(`${instance} log: ${m.masked}`);
    }
    expect(findings).toEqual([]);
  });
});
