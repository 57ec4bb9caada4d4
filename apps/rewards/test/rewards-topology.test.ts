import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GmartSerdes,
  PurchaseGenerator,
  maskPurchase,
  type Purchase,
  type RewardAccumulator,
} from '@gmart/gmart';
import { ConfigError } from '@gmart/nest-streams';
import { Serdes, consoleLogger } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import {
  LocalRewardsStores,
  REWARDS_STORE_NAME,
  rewardsConfig,
  RewardsStreamPartitioner,
  buildRewardsTopology,
  javaStringHashCode,
  repartitionedPurchaseSerde,
} from '../src';

const topics = { PURCHASES: 'purchases', CUSTOMER_TRANSACTIONS: 'customer_transactions', REWARDS: 'rewards' };
const S = Serdes.String();
const DAY = 86_400_000;

const purchase = (customerId: string, price: number, quantity: number, purchaseDate: number): Purchase => ({
  firstName: 'Bill',
  lastName: 'Bejeck',
  customerId,
  creditCardNumber: 'xxxx-xxxx-xxxx-1122',
  itemPurchased: 'kafka streams in action',
  department: 'books',
  employeeId: '000000',
  quantity,
  price,
  purchaseDate,
  zipCode: '19103',
  storeId: 'store-001',
});

describe('RewardsStreamPartitioner', () => {
  it("matches Java's String.hashCode", () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('5')).toBe(53);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648); // Integer.MIN_VALUE
  });

  it("never returns a negative partition, where the book's hashCode() % n would", () => {
    const p = new RewardsStreamPartitioner();
    const ids = [
      'polygenelubricants',
      'customer-with-negative-hash-zz',
      ...Array.from({ length: 2000 }, (_, i) => `c-${i * 7919}`),
    ];
    let negativesInTheBook = 0;
    for (const id of ids) {
      for (const n of [1, 2, 3, 6, 7]) {
        const part = p.partition('customer_transactions', id, purchase(id, 1, 1, 0), n);
        expect(part).toBeGreaterThanOrEqual(0);
        expect(part).toBeLessThan(n);
        if (javaStringHashCode(id) % n < 0) negativesInTheBook++;
      }
    }
    expect(negativesInTheBook).toBeGreaterThan(0);
  });

  it('puts customers on pinned partitions (Java hashCode, floor modulo), computed by hand', () => {
    const p = new RewardsStreamPartitioner();
    // "polygenelubricants".hashCode() is Integer.MIN_VALUE; "Aa" and "BB" collide at 2112; "a" is 97
    const expected: Array<[string, number, number]> = [
      ['polygenelubricants', 2, 0],
      ['polygenelubricants', 3, 1],
      ['polygenelubricants', 6, 4],
      ['polygenelubricants', 7, 5],
      ['Aa', 6, 0],
      ['Aa', 7, 5],
      ['BB', 7, 5],
      ['a', 3, 1],
      ['a', 7, 6],
    ];
    for (const [id, n, partition] of expected)
      expect([id, n, p.partition('customer_transactions', id, purchase(id, 1, 1, 0), n)]).toEqual([
        id,
        n,
        partition,
      ]);
  });

  it('rejects a non-positive partition count', () => {
    expect(() => RewardsStreamPartitioner.partitionFor('5', 0)).toThrow(
      'numPartitions must be a positive integer',
    );
  });
});

describe('rewards topology (test driver)', () => {
  let driver: TopologyTestDriver | undefined;
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rewards-ttd-'));
  });
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  const start = async (localStores?: LocalRewardsStores) => {
    driver = await TopologyTestDriver.create(buildRewardsTopology(topics, localStores), {
      applicationId: 'gmart-rewards',
      stateDir,
      logger: consoleLogger('silent'),
    });
    return {
      input: driver.createInputTopic(topics.PURCHASES, S, GmartSerdes.Purchase()),
      repartitioned: driver.createOutputTopic(topics.CUSTOMER_TRANSACTIONS, S, repartitionedPurchaseSerde()),
      output: driver.createOutputTopic(topics.REWARDS, S, GmartSerdes.RewardAccumulator()),
    };
  };

  it("accumulates points per customer, as the seed's repartition example (customers 5 and 4)", async () => {
    const { input, repartitioned, output } = await start();
    const t0 = Date.UTC(2026, 0, 1);
    // Unkeyed input, as in the seed; customer 5 buys twice, customer 4 twice.
    input.pipeValue(purchase('5', 10.5, 2, t0)); // 21 points
    input.pipeValue(purchase('4', 3.25, 4, t0 + DAY)); // 13 points
    input.pipeValue(purchase('5', 100, 1, t0 + 3 * DAY)); // 100 points
    input.pipeValue(purchase('4', 0.99, 1, t0 + 10 * DAY)); // 0 points
    expect(repartitioned.readKeyValuesToList().map((kv) => kv.key)).toEqual(['5', '4', '5', '4']);
    const out = output.readKeyValuesToList();
    expect(out.map((kv) => kv.key)).toEqual(['5', '4', '5', '4']);
    const values = out.map((kv) => kv.value as RewardAccumulator);
    expect(values).toEqual([
      {
        customerId: '5',
        purchaseTotal: 21,
        currentRewardPoints: 21,
        totalRewardPoints: 21,
        daysFromLastPurchase: 0,
      },
      {
        customerId: '4',
        purchaseTotal: 13,
        currentRewardPoints: 13,
        totalRewardPoints: 13,
        daysFromLastPurchase: 0,
      },
      {
        customerId: '5',
        purchaseTotal: 100,
        currentRewardPoints: 100,
        totalRewardPoints: 121,
        daysFromLastPurchase: 3,
      },
      {
        customerId: '4',
        purchaseTotal: 0.99,
        currentRewardPoints: 0,
        totalRewardPoints: 13,
        daysFromLastPurchase: 9,
      },
    ]);
    const store = driver!.getKeyValueStore<string, unknown>(REWARDS_STORE_NAME)!;
    expect(store.get('5')).toEqual({ totalRewardPoints: 121, lastPurchaseDate: t0 + 3 * DAY });
  });

  it('gives each customer a final total equal to the sum of the points of their purchases', async () => {
    const localStores = new LocalRewardsStores();
    const { input, output } = await start(localStores);
    const purchases = new PurchaseGenerator({ seed: 11, customers: 40 }).take(1000).map(maskPurchase);
    input.pipeValueList(purchases);
    const expected = new Map<string, number>();
    for (const p of purchases)
      expected.set(
        p.customerId,
        (expected.get(p.customerId) ?? 0) + Math.floor(Math.round(p.price * p.quantity * 100) / 100),
      );
    const last = new Map<string, number>();
    for (const v of output.readValuesToList()) last.set(v!.customerId, v!.totalRewardPoints);
    expect(last).toEqual(expected);
    for (const [id, total] of expected) expect(localStores.get(id)?.totalRewardPoints).toBe(total);
    const top = localStores.top(3);
    expect(top).toHaveLength(3);
    expect(top[0]!.totalRewardPoints).toBe(Math.max(...expected.values()));
  });

  it('writes every accumulator as the book computes it, dates out of order included (brute-force model)', async () => {
    const { input, output } = await start();
    const generated = new PurchaseGenerator({ seed: 23, customers: 25 }).take(600).map(maskPurchase);
    // Every fifth purchase goes back up to 40 days in event time, so "the latest purchase" is not the last one.
    const purchases = generated.map((p, i) =>
      i % 5 === 4 ? { ...p, purchaseDate: p.purchaseDate - ((i * 7919) % 40) * DAY - 1 } : p,
    );
    input.pipeValueList(purchases);
    const state = new Map<string, { total: number; last: number }>();
    const expected = purchases.map((p): RewardAccumulator => {
      const purchaseTotal = Math.round(p.price * p.quantity * 100) / 100;
      const points = Math.floor(purchaseTotal);
      const before = state.get(p.customerId);
      const total = points + (before?.total ?? 0);
      state.set(p.customerId, { total, last: Math.max(before?.last ?? p.purchaseDate, p.purchaseDate) });
      return {
        customerId: p.customerId,
        purchaseTotal,
        totalRewardPoints: total,
        currentRewardPoints: points,
        daysFromLastPurchase: before ? Math.floor(Math.abs(p.purchaseDate - before.last) / DAY) : 0,
      };
    });
    expect(output.readValuesToList()).toEqual(expected);
    const store = driver!.getKeyValueStore<string, unknown>(REWARDS_STORE_NAME)!;
    for (const [id, { total, last }] of state)
      expect(store.get(id)).toEqual({ totalRewardPoints: total, lastPurchaseDate: last });
  });

  it('keeps points across a restart on the same state directory (persistent store)', async () => {
    let t = await start();
    t.input.pipeValue(purchase('77', 10, 1, Date.UTC(2026, 0, 1)));
    await driver!.close();
    driver = undefined;
    t = await start();
    t.input.pipeValue(purchase('77', 5, 1, Date.UTC(2026, 0, 1) + DAY));
    expect(t.output.readValue()!.totalRewardPoints).toBe(15);
  });
});

describe('APPLICATION_SERVER', () => {
  it('is optional, and must be host:port when set (the error names the variable)', () => {
    const env = { KAFKA_BROKERS: 'localhost:9092' };
    expect(rewardsConfig.load(env).applicationServer).toBeUndefined();
    expect(
      rewardsConfig.load({ ...env, APPLICATION_SERVER: 'rewards-0.rewards:8083' }).applicationServer,
    ).toBe('rewards-0.rewards:8083');
    expect(() => rewardsConfig.load({ ...env, APPLICATION_SERVER: 'http://x:1' })).toThrow(ConfigError);
    expect(() => rewardsConfig.load({ ...env, APPLICATION_SERVER: 'no-port' })).toThrow(/APPLICATION_SERVER/);
  });
});
