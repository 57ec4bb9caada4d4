import {
  type Purchase,
  type RewardAccumulator,
  addRewardPoints,
  daysBetween,
  rewardAccumulatorOf,
} from '@gmart/gmart';
import type { Processor, ProcessorContext, Record } from '@gmart/streams';
import type { LocalRewardsStores } from './local-rewards-stores';
import type { RewardsPointsStore } from './rewards-points-store';

/**
 * The book's `PurchaseRewardTransformer`: builds the purchase's {@link RewardAccumulator}, adds
 * the points the customer accumulated so far (from `rewardsPointsStore`), stores the new total
 * and forwards the accumulator. `daysFromLastPurchase` is the whole days since the customer's
 * previous purchase (0 for the first).
 */
export class PurchaseRewardProcessor implements Processor<string, Purchase, string, RewardAccumulator> {
  private context!: ProcessorContext<string, RewardAccumulator>;
  private store!: RewardsPointsStore;

  constructor(
    private readonly storeName: string,
    private readonly localStores?: LocalRewardsStores,
  ) {}

  init(context: ProcessorContext<string, RewardAccumulator>): void {
    this.context = context;
    this.store = context.getStateStore<RewardsPointsStore>(this.storeName);
    this.localStores?.register(context.taskId.partition, this.store);
  }

  process(record: Record<string, Purchase>): void {
    const purchase = record.value;
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
    this.context.forward(record.withKey(purchase.customerId).withValue(acc));
  }

  close(): void {
    if (this.store) this.localStores?.unregister(this.context.taskId.partition, this.store);
  }
}
