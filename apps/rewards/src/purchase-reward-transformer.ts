import {
  type Purchase,
  type RewardAccumulator,
  daysBetween,
  rewardPointsFor,
  roundToCents,
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
    const { customerId, purchaseDate } = purchase;
    // rewardAccumulatorOf(purchase), then addRewardPoints(acc, soFar.totalRewardPoints) and the days
    // since the previous purchase, built as one object (one per purchase, not three).
    const purchaseTotal = roundToCents(purchase.price * purchase.quantity);
    const points = rewardPointsFor(purchaseTotal);
    const soFar = this.store.get(customerId);
    let totalRewardPoints = points;
    let daysFromLastPurchase = 0;
    let lastPurchaseDate = purchaseDate;
    if (soFar) {
      totalRewardPoints += soFar.totalRewardPoints;
      daysFromLastPurchase = daysBetween(soFar.lastPurchaseDate, purchaseDate);
      if (soFar.lastPurchaseDate > purchaseDate) lastPurchaseDate = soFar.lastPurchaseDate;
    }
    this.store.put(customerId, { totalRewardPoints, lastPurchaseDate });
    return {
      customerId,
      purchaseTotal,
      totalRewardPoints,
      currentRewardPoints: points,
      daysFromLastPurchase,
    };
  }

  close(): void {
    if (this.store) this.localStores?.unregister(this.partition, this.store);
  }
}
