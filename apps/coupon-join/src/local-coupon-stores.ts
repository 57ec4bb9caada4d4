import { correlatedPurchaseToJson, type CorrelatedPurchaseJson } from '@gmart/gmart';
import type { CouponsStore } from './coupons-store';

/** One customer's coupons as read from a local store. */
export interface CustomerCouponsView {
  readonly customerId: string;
  /** Partition (of the join's repartition topics, and of the store) that holds the customer. */
  readonly partition: number;
  /** The coupons, latest first. */
  readonly coupons: CorrelatedPurchaseJson[];
}

/**
 * The coupons store instances this process hosts, one per assigned partition. The recording
 * processor registers its store when its task opens and removes it when the task closes, so HTTP
 * queries only ever read stores that are open.
 */
export class LocalCouponStores {
  private readonly stores = new Map<number, CouponsStore>();

  /** @internal Called by the recording processor's `init`. */
  register(partition: number, store: CouponsStore): void {
    this.stores.set(partition, store);
  }

  /** @internal Called by the recording processor's `close`. */
  unregister(partition: number, store: CouponsStore): void {
    if (this.stores.get(partition) === store) this.stores.delete(partition);
  }

  /** Partitions hosted here, ascending. */
  partitions(): number[] {
    return [...this.stores.keys()].sort((a, b) => a - b);
  }

  /** The customer's coupons if a local store holds any. */
  get(customerId: string): CustomerCouponsView | undefined {
    for (const [partition, store] of this.stores) {
      const v = store.get(customerId);
      if (v && v.length) return { customerId, partition, coupons: v.map(correlatedPurchaseToJson) };
    }
    return undefined;
  }
}
