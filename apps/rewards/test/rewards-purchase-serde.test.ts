/**
 * `rewardsPurchaseSerde` against the path it replaces, `GmartSerdes.Purchase({ nullValues: 'reject' })`:
 * the same customer id, amounts and date, or the same error, for canonical purchases and for other
 * forms of them; and what it writes is byte for byte what that serde writes. Through the topology:
 * the repartition topic carries the same customer ids, amounts and dates, and the accumulators are
 * the same.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  ScannedPurchase,
  maskPurchase,
  rewardAccumulatorOf,
} from '@gmart/gmart';
import { Serdes, consoleLogger } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import {
  type PurchaseAmounts,
  buildRewardsTopology,
  repartitionedPurchaseSerde,
  rewardsPurchaseSerde,
} from '../src';

const TOPIC = 'customer_transactions';
const model = GmartSerdes.Purchase({ nullValues: 'reject' });
const serde = rewardsPurchaseSerde();

const canonical = new PurchaseGenerator({ seed: 3, customers: 50 })
  .take(300)
  .map((p) => model.serializer().serialize(TOPIC, maskPurchase(p))!.toString('utf8'));

/** Other forms of a canonical purchase (same or different values, valid or not). */
function variants(json: string): string[] {
  const o = JSON.parse(json) as Record<string, unknown>;
  return [
    json,
    json.replace(':', ': '),
    ` ${json}\n`,
    JSON.stringify({ ...o, purchaseDate: Date.parse(o.purchaseDate as string) }),
    JSON.stringify({ ...o, customerId: ` ${o.customerId as string} ` }),
    JSON.stringify({ extra: 1, ...o }),
    JSON.stringify({ ...o, price: '9.99' }),
    JSON.stringify({ ...o, quantity: 0 }),
    JSON.stringify({ ...o, purchaseDate: '1999-01-01T00:00:00.000Z' }),
    json.slice(0, -1),
  ];
}

/** The customer id, quantity, price and date read, or the error. */
function read(deserialize: (b: Buffer) => PurchaseAmounts | null, bytes: Buffer): unknown[] | string {
  try {
    const p = deserialize(bytes)!;
    return [p.customerId, p.quantity, p.price, p.purchaseDate];
  } catch (e) {
    if (!(e instanceof DeserializationError)) throw e;
    return `error: ${e.message}`;
  }
}

describe('rewardsPurchaseSerde', () => {
  it('reads what the purchase serde reads, or fails as it does, and writes the same bytes', () => {
    let scanned = 0;
    for (const json of canonical) {
      for (const v of variants(json)) {
        const bytes = Buffer.from(v, 'utf8');
        const want = read((b) => model.deserializer().deserialize(TOPIC, b), bytes);
        const got = read((b) => serde.deserializer().deserialize(TOPIC, b), bytes);
        expect([v, got]).toEqual([v, want]);
        if (typeof want === 'string') continue;
        const value = serde.deserializer().deserialize(TOPIC, bytes)!;
        if (value instanceof ScannedPurchase) scanned++;
        const expected = model.serializer().serialize(TOPIC, model.deserializer().deserialize(TOPIC, bytes));
        expect([v, serde.serializer().serialize(TOPIC, value)!.toString('utf8')]).toEqual([
          v,
          expected!.toString('utf8'),
        ]);
      }
    }
    expect(scanned).toBe(canonical.length);
  });

  it('refuses a tombstone as the purchase serde does', () => {
    expect(() => serde.deserializer().deserialize(TOPIC, null)).toThrow(/null value \(tombstone\)/);
  });
});

describe('the rewards topology with purchases in several forms', () => {
  let stateDir: string;
  let driver: TopologyTestDriver | undefined;
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('writes the same amounts to customer_transactions and the same accumulators', async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rewards-serde-'));
    const topics = { PURCHASES: 'purchases', CUSTOMER_TRANSACTIONS: TOPIC, REWARDS: 'rewards' };
    driver = await TopologyTestDriver.create(buildRewardsTopology(topics), {
      applicationId: 'gmart-rewards',
      stateDir,
      logger: consoleLogger('silent'),
    });
    const B = Serdes.Buffer();
    const input = driver.createInputTopic(topics.PURCHASES, Serdes.String(), B);
    const repartitioned = driver.createOutputTopic(TOPIC, Serdes.String(), repartitionedPurchaseSerde());
    const output = driver.createOutputTopic(topics.REWARDS, Serdes.String(), GmartSerdes.RewardAccumulator());
    // Valid purchases only, half canonical, half in other forms of the same values.
    const inputs = canonical.slice(0, 100).map((json, i) => {
      if (i % 2 === 0) return json;
      const o = JSON.parse(json) as Record<string, unknown>;
      return i % 4 === 1
        ? ` ${json.replace(':', ': ')}`
        : JSON.stringify({ ...o, purchaseDate: Date.parse(o.purchaseDate as string) });
    });
    for (const json of inputs) input.pipeValue(Buffer.from(json, 'utf8'));
    const purchases = inputs.map((json) =>
      model.deserializer().deserialize(TOPIC, Buffer.from(json, 'utf8'))!,
    );
    const moved = repartitioned.readKeyValuesToList();
    const amounts = (p: PurchaseAmounts) => [p.customerId, p.quantity, p.price, p.purchaseDate];
    expect(moved.map((kv) => [kv.key, ...amounts(kv.value!)])).toEqual(
      purchases.map((p) => [p.customerId, ...amounts(p)]),
    );
    const totals = new Map<string, number>();
    const expected = purchases.map((p) => {
      const acc = rewardAccumulatorOf(p);
      const total = acc.totalRewardPoints + (totals.get(p.customerId) ?? 0);
      totals.set(p.customerId, total);
      return [p.customerId, acc.purchaseTotal, total];
    });
    expect(
      output.readValuesToList().map((a) => [a!.customerId, a!.purchaseTotal, a!.totalRewardPoints]),
    ).toEqual(expected);
  });
});
