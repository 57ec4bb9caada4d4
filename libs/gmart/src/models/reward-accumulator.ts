import { z } from 'zod';
import { requiredText, roundToCents } from './fields';
import type { Purchase } from './purchase';

const MS_PER_DAY = 86_400_000;

/** Schema of a {@link RewardAccumulator} (same in memory and in JSON). */
export const RewardAccumulatorSchema = z.object({
  customerId: requiredText(64),
  purchaseTotal: z.number('must be a number').min(0, 'must not be negative'),
  totalRewardPoints: z
    .number('must be a number')
    .int('must be a whole number')
    .min(0, 'must not be negative'),
  currentRewardPoints: z
    .number('must be a number')
    .int('must be a whole number')
    .min(0, 'must not be negative'),
  daysFromLastPurchase: z
    .number('must be a number')
    .int('must be a whole number')
    .min(0, 'must not be negative'),
});

/**
 * A customer's reward state after one purchase (the seed's `RewardAccumulator`):
 * `purchaseTotal` of this purchase, the points it earns (`currentRewardPoints`), the customer's
 * running total (`totalRewardPoints`) and the whole days since the customer's previous purchase.
 */
export type RewardAccumulator = z.infer<typeof RewardAccumulatorSchema>;

/**
 * The accumulator of a single purchase, as the book's `RewardAccumulator.builder(purchase)`:
 * `purchaseTotal = price x quantity` (rounded to cents), one point per whole currency unit
 * (`currentRewardPoints = floor(purchaseTotal)`), `totalRewardPoints = currentRewardPoints`,
 * `daysFromLastPurchase = 0`.
 */
export function rewardAccumulatorOf(
  purchase: Pick<Purchase, 'customerId' | 'price' | 'quantity'>,
): RewardAccumulator {
  const purchaseTotal = roundToCents(purchase.price * purchase.quantity);
  const points = rewardPointsFor(purchaseTotal);
  return {
    customerId: purchase.customerId,
    purchaseTotal,
    totalRewardPoints: points,
    currentRewardPoints: points,
    daysFromLastPurchase: 0,
  };
}

/** Points earned by a purchase total: one per whole currency unit. */
export function rewardPointsFor(purchaseTotal: number): number {
  return Math.floor(purchaseTotal);
}

/** The book's `addRewardPoints(previousTotal)`: adds the points accumulated so far to the total. */
export function addRewardPoints(acc: RewardAccumulator, accumulatedSoFar: number): RewardAccumulator {
  return { ...acc, totalRewardPoints: acc.totalRewardPoints + accumulatedSoFar };
}

/** Whole days between two instants (epoch ms), never negative. */
export function daysBetween(earlierMs: number, laterMs: number): number {
  return Math.floor(Math.abs(laterMs - earlierMs) / MS_PER_DAY);
}
