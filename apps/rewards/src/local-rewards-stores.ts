import type { CustomerRewards } from './customer-rewards';
import type { RewardsPointsStore } from './rewards-points-store';

/** One customer's rewards as read from a local store. */
export interface CustomerRewardsView {
  readonly customerId: string;
  readonly totalRewardPoints: number;
  /** The customer's latest purchase, ISO-8601. */
  readonly lastPurchaseDate: string;
  /** Partition of `customer_transactions` (and of the store) that holds the customer. */
  readonly partition: number;
}

/**
 * The `rewardsPointsStore` instances this process hosts, one per assigned partition. The reward
 * processor registers its store when its task opens and removes it when the task closes
 * (rebalance, shutdown), so HTTP queries only ever read stores that are open.
 */
export class LocalRewardsStores {
  private readonly stores = new Map<number, RewardsPointsStore>();

  /** @internal Called by the reward processor's `init`. */
  register(partition: number, store: RewardsPointsStore): void {
    this.stores.set(partition, store);
  }

  /** @internal Called by the reward processor's `close`. */
  unregister(partition: number, store: RewardsPointsStore): void {
    if (this.stores.get(partition) === store) this.stores.delete(partition);
  }

  /** Partitions hosted here, ascending. */
  partitions(): number[] {
    return [...this.stores.keys()].sort((a, b) => a - b);
  }

  /** The customer's rewards if a local store holds them. */
  get(customerId: string): CustomerRewardsView | undefined {
    for (const [partition, store] of this.stores) {
      const v = store.get(customerId);
      if (v) return view(customerId, partition, v);
    }
    return undefined;
  }

  /** The `limit` customers with the most points among the local stores. */
  top(limit: number): CustomerRewardsView[] {
    const all: CustomerRewardsView[] = [];
    for (const [partition, store] of this.stores) {
      const it = store.all();
      try {
        for (const kv of it) all.push(view(kv.key, partition, kv.value));
      } finally {
        it.close();
      }
    }
    return all
      .sort((a, b) => b.totalRewardPoints - a.totalRewardPoints || a.customerId.localeCompare(b.customerId))
      .slice(0, limit);
  }
}

function view(customerId: string, partition: number, v: CustomerRewards): CustomerRewardsView {
  return {
    customerId,
    partition,
    totalRewardPoints: v.totalRewardPoints,
    lastPurchaseDate: new Date(v.lastPurchaseDate).toISOString(),
  };
}
