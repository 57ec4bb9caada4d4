import { type RewardAccumulator, daysBetween, rewardAccumulatorOf } from '@gmart/gmart';
import type { ProcessorContext, ValueTransformer } from '@gmart/streams';
import type { LocalRewardsStores } from './local-rewards-stores';
import type { RewardsPointsStore } from './rewards-points-store';
import type { PurchaseAmounts } from './rewards-purchase-serde';

/**
 * The book's `PurchaseRewardTransformer`, run with `transformValues(..., rewardsPointsStore)`:
 * builds the purchase's {@link RewardAccumulator}, adds the points the customer accumulated so far
 * (from `rewardsPointsStore`), stores the new total and returns the accumulator (the key, the
 * customer id, is kept). `daysFromLastPurchase` is the whole days since the customer's previous
 * purchase (0 for the first).
 */
export class PurchaseRewardTransformer implements ValueTransformer<PurchaseAmounts, RewardAccumulator> {
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

  transform(purchase: PurchaseAmounts): RewardAccumulator {
    // The book's rewardAccumulatorOf(purchase), then addRewardPoints(soFar.totalRewardPoints) and the
    // days since the previous purchase, on that one fresh object (not a copy per step).
    const acc = rewardAccumulatorOf(purchase);
    const soFar = this.store.get(acc.customerId);
    let lastPurchaseDate = purchase.purchaseDate;
    if (soFar) {
      acc.totalRewardPoints += soFar.totalRewardPoints;
      acc.daysFromLastPurchase = daysBetween(soFar.lastPurchaseDate, lastPurchaseDate);
      if (soFar.lastPurchaseDate > lastPurchaseDate) lastPurchaseDate = soFar.lastPurchaseDate;
    }
    this.store.put(acc.customerId, { totalRewardPoints: acc.totalRewardPoints, lastPurchaseDate });
    return acc;
  }

  close(): void {
    if (this.store) this.localStores?.unregister(this.partition, this.store);
  }
}
