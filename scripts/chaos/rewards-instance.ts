import { maskPurchase, type Purchase, purchaseToJson } from '@gmart/gmart';
import type { ChaosEnv } from './chaos-env';
import { purchaseRecords } from './purchase-records';

/** Topics and environment of one rewards application run by a scenario under the prefix `p`. */
export interface RewardsSetup {
  readonly applicationId: string;
  readonly input: string;
  readonly repartition: string;
  readonly output: string;
  readonly env: Record<string, string>;
}

/** Creates the masked-purchases input, the repartition topic, the rewards output, the DLQ and the store's changelog. */
export async function setUpRewards(env: ChaosEnv, p: string, partitions: number): Promise<RewardsSetup> {
  const s = {
    applicationId: `${p}-rewards`,
    input: `${p}-purchases`,
    repartition: `${p}-customer-transactions`,
    output: `${p}-rewards`,
  };
  await env.createTopics([
    { topic: s.input, numPartitions: partitions },
    { topic: s.repartition, numPartitions: partitions },
    { topic: s.output, numPartitions: partitions },
    { topic: `${s.applicationId}-dlq` },
    {
      topic: `${s.applicationId}-rewardsPointsStore-changelog`,
      numPartitions: partitions,
      config: { 'cleanup.policy': 'compact' },
    },
  ]);
  return {
    ...s,
    env: {
      APPLICATION_ID: s.applicationId,
      TOPIC_PURCHASES: s.input,
      TOPIC_CUSTOMER_TRANSACTIONS: s.repartition,
      TOPIC_REWARDS: s.output,
    },
  };
}

/** `count` masked purchases (as masking writes them) of `customers` customers, keyed `<prefix>-<n>`. */
export function maskedPurchaseRecords(prefix: string, count: number, seed: number, customers: number) {
  return purchaseRecords(prefix, count, seed, customers).map((r) => {
    const masked = maskPurchase(r.purchase);
    return { key: r.key, value: JSON.stringify(purchaseToJson(masked)), purchase: masked };
  });
}

/** Points of one purchase, as the rewards README states them: floor of price x quantity rounded to cents. */
export function pointsOf(p: Purchase): number {
  return Math.floor(Math.round(p.price * p.quantity * 100) / 100);
}

/** What the rewards output shows against a recomputation from the purchases sent. */
export interface RewardsCheck {
  /** Reward records beyond one per purchase. */
  readonly duplicates: number;
  /** Purchases without a reward record. */
  readonly lost: number;
  /** Customers whose last total differs from the sum of their purchases' points (double-applied or lost state). */
  readonly wrongTotals: number;
  readonly customers: number;
}

/**
 * Compares the rewards records (read_committed, offset order per partition, keyed by customer)
 * with the purchases: per customer one record per purchase, and the last one's total equal to the
 * sum of the points of all its purchases.
 */
export function checkRewards(
  purchases: readonly Purchase[],
  rewards: ReadonlyArray<{ key: string | null; value: Buffer | null }>,
): RewardsCheck {
  const want = new Map<string, { n: number; points: number }>();
  for (const p of purchases) {
    const w = want.get(p.customerId) ?? { n: 0, points: 0 };
    w.n++;
    w.points += pointsOf(p);
    want.set(p.customerId, w);
  }
  const got = new Map<string, { n: number; last: number }>();
  for (const r of rewards) {
    const v = JSON.parse(r.value!.toString()) as { customerId: string; totalRewardPoints: number };
    const g = got.get(v.customerId) ?? { n: 0, last: 0 };
    g.n++;
    g.last = v.totalRewardPoints;
    got.set(v.customerId, g);
  }
  let duplicates = 0;
  let lost = 0;
  let wrongTotals = 0;
  for (const [c, w] of want) {
    const g = got.get(c) ?? { n: 0, last: 0 };
    if (g.n > w.n) duplicates += g.n - w.n;
    if (g.n < w.n) lost += w.n - g.n;
    if (g.last !== w.points) wrongTotals++;
  }
  for (const [c, g] of got) if (!want.has(c)) duplicates += g.n;
  return { duplicates, lost, wrongTotals, customers: want.size };
}
