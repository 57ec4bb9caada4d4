import {
  type Purchase,
  type RewardAccumulator,
  addRewardPoints,
  daysBetween,
  rewardAccumulatorOf,
} from '@gmart/gmart';
import type { ProcessorContext, ValueTransformer } from '@gmart/streams';
import type { LocalRewardsStores } from './local-rewards-stores';
import type { RewardsPointsStore } from './rewards-points-store';

/**
 * The book's `PurchaseRewardTransformer`, run with `transformValues(..., rewardsPointsStore)`:
 * builds the purchase's {@link RewardAccumulator}, adds the points the customer accumulated so far
 * (from `rewardsPointsStore`), stores the new total and returns the accumulator (the key, the
 * customer id, is kept). `daysFromLastPurchase` is the whole days since the customer's previous
 * purchase (0 for the first).
 */
export class PurchaseRewardTransformer implements ValueTransformer<Purchase, RewardAccumulator> {
  private store!: RewardsPointsStore;
  private partition = -1;

  constructor(
    private readonly storeName: string,
    private readonly localStores?: LocalRewardsStores,
  ) {}

  init(context: ProcessorContext<unknown, RewardAccumulator>): void {
    this.store = context.getStateStore<RewardsPointsStore>(this.storeName);
    this.partition = context.taskId.partition;
    this.localStores?.register(this.partition, this.store);
  }

  transform(purchase: Purchase): RewardAccumulator {
    let acc = rewardAccumulatorOf(purchase);
    const soFar = this.store.get(purchase.customerId);
    let lastPurchaseDate = purchase.purchaseDate;
    if (soFar) {
      acc = {
        ...addRewardPoints(acc, soFar.totalRewardPoints),
        daysFromLastPurchase: daysBetween(soFar.lastPurchaseDate, purchase.purchaseDate),
      };
      lastPurchaseDate = Math.max(soFar.lastPurchaseDate, purchase.purchaseDate);
    }
    this.store.put(purchase.customerId, { totalRewardPoints: acc.totalRewardPoints, lastPurchaseDate });
    return acc;
  }

  close(): void {
    if (this.store) this.localStores?.unregister(this.partition, this.store);
  }
}
