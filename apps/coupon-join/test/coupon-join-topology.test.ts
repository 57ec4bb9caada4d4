/**
 * The coupon-join topology through the library's test driver: the seed's example (chapter 4), and
 * generated purchases against a brute-force model of the seed's program (every coffee/electronics
 * pair of one customer within the window is one coupon; left/outer add each purchase no pair
 * matched, once, only after its window and grace have passed).
 */
import {
  type CorrelatedPurchase,
  GmartSerdes,
  PurchaseGenerator,
  type Purchase,
  correlatePurchases,
  maskPurchase,
} from '@gmart/gmart';
import { Serdes } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import {
  COUPONS_STORE_NAME,
  type CouponHistory,
  type JoinMode,
  LocalCouponStores,
  SEED_COUPON_JOIN,
  buildCouponJoinTopology,
  couponTime,
} from '../src';

const topics = { PURCHASES: 'purchases', COFFEE: 'coffee', ELECTRONICS: 'electronics', COUPONS: 'coupons' };
const S = Serdes.String();
const P = GmartSerdes.Purchase();
const C = GmartSerdes.CorrelatedPurchase();
const MIN = 60_000;
const WINDOW = 20 * MIN;
const GRACE = MIN;
const t0 = Date.UTC(2026, 11, 5, 10, 0);

const buy = (customerId: string, department: string, itemPurchased: string, price: number, at: number) =>
  ({
    firstName: 'Bill',
    lastName: 'Bejeck',
    customerId,
    creditCardNumber: 'xxxx-xxxx-xxxx-1122',
    itemPurchased,
    department,
    employeeId: '123456',
    quantity: 1,
    price,
    purchaseDate: at,
    zipCode: '19103',
    storeId: 'store-001',
  }) satisfies Purchase;

async function driverFor(mode: JoinMode, localStores?: LocalCouponStores) {
  const topology = buildCouponJoinTopology(
    topics,
    { ...SEED_COUPON_JOIN, mode, windowMs: WINDOW, graceMs: GRACE },
    localStores,
  );
  const driver = await TopologyTestDriver.create(topology);
  return {
    driver,
    topology,
    input: driver.createInputTopic('purchases', S, P),
    coupons: driver.createOutputTopic('coupons', S, C),
  };
}

/** The seed's walk-through: a pair within 20 minutes, an electronics-only customer, a pair 21 minutes apart. */
function seedExample(): Purchase[] {
  return [
    buy('c1', 'coffee', 'latte', 4, t0),
    buy('c1', 'electronics', 'phone', 500, t0 + 18 * MIN),
    buy('c2', 'electronics', 'tv', 900, t0 + 18 * MIN + 30_000),
    buy('c3', 'coffee', 'mocha', 5, t0 + 17 * MIN),
    buy('c3', 'electronics', 'radio', 30, t0 + 38 * MIN),
    buy('c4', 'books', 'novel', 12, t0 + 39 * MIN),
  ];
}

describe('coupon-join topology: the seed example', () => {
  it('inner: branches to coffee/electronics keyed by customer, one coupon for the pair within 20 minutes', async () => {
    const stores = new LocalCouponStores();
    const { driver, input, coupons, topology } = await driverFor('inner', stores);
    for (const p of seedExample()) input.pipeInput(`tx-${p.purchaseDate}`, p, p.purchaseDate);
    const coffee = driver.createOutputTopic('coffee', S, P).readRecordsToList();
    const electronics = driver.createOutputTopic('electronics', S, P).readRecordsToList();
    expect(coffee.map((r) => `${r.key}:${r.value!.itemPurchased}`)).toEqual(['c1:latte', 'c3:mocha']);
    expect(electronics.map((r) => `${r.key}:${r.value!.itemPurchased}`)).toEqual([
      'c1:phone',
      'c2:tv',
      'c3:radio',
    ]);
    const out = coupons.readRecordsToList();
    expect(out).toHaveLength(1);
    expect(out[0]!.key).toBe('c1');
    expect(out[0]!.timestamp).toBe(t0 + 18 * MIN);
    expect(out[0]!.value).toEqual({
      customerId: 'c1',
      firstPurchaseDate: t0,
      secondPurchaseDate: t0 + 18 * MIN,
      itemsPurchased: ['latte', 'phone'],
      totalAmount: 504,
    });
    // The queryable store holds it; the local-stores view finds it; nobody else has coupons.
    const store = driver.getKeyValueStore<string, CouponHistory>(COUPONS_STORE_NAME)!;
    expect(store.get('c1')).toEqual([out[0]!.value]);
    expect(store.get('c3')).toBeUndefined();
    expect(stores.get('c1')?.coupons.map((c) => c.itemsPurchased)).toEqual([['latte', 'phone']]);
    expect(stores.get('c2')).toBeUndefined();
    // The library repartitions both sides by customer id for the join.
    const desc = topology.describe().toString();
    expect(desc).toContain('coupon-join-left-repartition');
    expect(desc).toContain('coupon-join-right-repartition');
    await driver.close();
  });

  it('left: the unmatched coffee purchase once the window closed; outer: the unmatched electronics too', async () => {
    const results: Record<string, string[]> = {};
    for (const mode of ['left', 'outer'] as const) {
      const { driver, input, coupons } = await driverFor(mode);
      for (const p of seedExample()) input.pipeInput(`tx-${p.purchaseDate}`, p, p.purchaseDate);
      const fmt = (c: CorrelatedPurchase) =>
        `${c.customerId}:${c.itemsPurchased.join('+')}=${c.totalAmount}` +
        `@${c.firstPurchaseDate === null ? '-' : (c.firstPurchaseDate - t0) / MIN}/${c.secondPurchaseDate === null ? '-' : (c.secondPurchaseDate - t0) / MIN}`;
      const before = coupons.readValuesToList().map((v) => fmt(v!));
      // Nothing unmatched before the windows close (mocha: 17 + 20 + 1 grace = 38 min, not yet passed).
      expect(before).toEqual(['c1:latte+phone=504@0/18']);
      input.pipeInput('closer-c', buy('c9', 'coffee', 'tea', 2, t0 + 120 * MIN), t0 + 120 * MIN);
      input.pipeInput('closer-e', buy('c9', 'electronics', 'cable', 8, t0 + 120 * MIN), t0 + 120 * MIN);
      results[mode] = coupons.readValuesToList().map((v) => fmt(v!));
      await driver.close();
    }
    expect(results.left).toEqual(['c3:mocha=5@17/-', 'c9:tea+cable=10@120/120']);
    expect([...results.outer!].sort()).toEqual(
      ['c9:tea+cable=10@120/120', 'c3:mocha=5@17/-', 'c2:tv=900@-/18.5', 'c3:radio=30@-/38'].sort(),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Brute-force model.

interface Timed {
  p: Purchase;
  ts: number;
}

/** Every result the seed's program must produce for `purchases`, as canonical strings. */
function model(purchases: Purchase[], mode: JoinMode): string[] {
  const coffee = purchases.filter((p) => p.department === 'coffee');
  const electronics = purchases.filter((p) => p.department === 'electronics');
  const out: string[] = [];
  const matchedE = new Set<Purchase>();
  for (const c of coffee) {
    let matched = false;
    for (const e of electronics) {
      if (e.customerId === c.customerId && Math.abs(e.purchaseDate - c.purchaseDate) <= WINDOW) {
        out.push(key(correlatePurchases(c, e)));
        matched = true;
        matchedE.add(e);
      }
    }
    if (!matched && mode !== 'inner') out.push(key(correlatePurchases(c, null)));
  }
  if (mode === 'outer')
    for (const e of electronics) if (!matchedE.has(e)) out.push(key(correlatePurchases(null, e)));
  return out.sort();
}

function key(c: CorrelatedPurchase): string {
  return JSON.stringify([
    c.customerId,
    c.firstPurchaseDate,
    c.secondPurchaseDate,
    c.itemsPurchased,
    c.totalAmount,
  ]);
}

/** Generated (masked) purchases, some delivered late by less than the grace period. */
function generated(seed: number, n: number): Timed[] {
  const g = new PurchaseGenerator({ seed, customers: 15, meanIntervalMs: 45_000, startTime: t0 });
  const inOrder = g.take(n).map(maskPurchase);
  // Swap neighbours now and then: a purchase arrives after a later one, within the grace period.
  for (let i = 1; i < inOrder.length; i += 7) {
    const a = inOrder[i - 1]!;
    const b = inOrder[i]!;
    if (b.purchaseDate - a.purchaseDate < GRACE / 2) [inOrder[i - 1], inOrder[i]] = [b, a];
  }
  return inOrder.map((p) => ({ p, ts: p.purchaseDate }));
}

describe.each(['inner', 'left', 'outer'] as const)('coupon-join topology against the model (%s)', (mode) => {
  it.each([11, 12])('generated purchases, seed %i', async (seed) => {
    const { driver, input, coupons } = await driverFor(mode);
    const records = generated(seed, 600);
    const last = Math.max(...records.map((r) => r.ts));
    // Closers: a pair far in the future closes every window (and joins with itself).
    records.push(
      { p: buy('closer', 'coffee', 'tea', 2, last + 3 * WINDOW), ts: last + 3 * WINDOW },
      { p: buy('closer', 'electronics', 'cable', 8, last + 3 * WINDOW), ts: last + 3 * WINDOW },
    );
    let streamTime = -Infinity;
    const seen: CorrelatedPurchase[] = [];
    for (const r of records) {
      input.pipeInput(null, r.p, r.ts);
      if (r.p.department === 'coffee' || r.p.department === 'electronics')
        streamTime = Math.max(streamTime, r.ts);
      for (const v of coupons.readValuesToList()) {
        const c = v!;
        seen.push(c);
        const unmatchedAt =
          c.firstPurchaseDate === null
            ? c.secondPurchaseDate
            : c.secondPurchaseDate === null
              ? c.firstPurchaseDate
              : null;
        // An unmatched purchase is emitted only after its window and grace have passed.
        if (unmatchedAt !== null) expect(streamTime).toBeGreaterThan(unmatchedAt + WINDOW + GRACE);
      }
    }
    const expected = model(
      records.map((r) => r.p),
      mode,
    );
    expect(expected.length).toBeGreaterThan(20);
    if (mode !== 'inner') expect(expected.some((k) => k.includes('null'))).toBe(true);
    expect(seen.map(key).sort()).toEqual(expected);
    // The store holds each customer's coupons, latest first (at most the history limit).
    const store = driver.getKeyValueStore<string, CouponHistory>(COUPONS_STORE_NAME)!;
    const customers = new Set(seen.map((c) => c.customerId));
    for (const id of customers) {
      const mine = seen.filter((c) => c.customerId === id);
      const held = store.get(id)!;
      expect(held.length).toBe(Math.min(mine.length, SEED_COUPON_JOIN.historyLimit));
      for (let i = 1; i < held.length; i++)
        expect(couponTime(held[i - 1]!)).toBeGreaterThanOrEqual(couponTime(held[i]!));
      // The latest coupons (ties at the cut may be either): each held one was issued, and their
      // times are the customer's latest times.
      const issued = new Set(mine.map(key));
      for (const c of held) expect(issued.has(key(c))).toBe(true);
      expect(held.map(couponTime)).toEqual(
        mine
          .map(couponTime)
          .sort((a, b) => b - a)
          .slice(0, held.length),
      );
    }
    await driver.close();
  });
});
