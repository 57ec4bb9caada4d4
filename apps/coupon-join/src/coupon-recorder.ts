import type { CorrelatedPurchase } from '@gmart/gmart';
import type { ProcessorContext, ValueTransformerWithKey } from '@gmart/streams';
import { HistoryDraft, addCoupon } from './coupon-history';
import type { CouponsStore } from './coupons-store';
import type { LocalCouponStores } from './local-coupon-stores';
import { WriteBehindKeyValueStore } from './write-behind-store';

/**
 * Records every join result in the coupons store (customer id -> coupons, latest first, at most
 * `limit`) and passes it on unchanged to `coupons`. Over the write-behind coupons store, a
 * customer's history is a {@link HistoryDraft} between two commits, extended in place by each
 * coupon: the same writes of the same histories as {@link addCoupon} per coupon, without copying
 * and freezing a history of up to `limit` coupons for every coupon.
 */
export class CouponRecorder implements ValueTransformerWithKey<
  string,
  CorrelatedPurchase,
  CorrelatedPurchase
> {
  private store!: CouponsStore;
  private partition = -1;

  constructor(
    private readonly storeName: string,
    private readonly limit: number,
    private readonly localStores?: LocalCouponStores,
    private readonly onCoupon?: (coupon: CorrelatedPurchase) => void,
  ) {}

  init(context: ProcessorContext<unknown, CorrelatedPurchase>): void {
    this.store = context.getStateStore<CouponsStore>(this.storeName);
    this.partition = context.taskId.partition;
    this.localStores?.register(this.partition, this.store);
  }

  transform(customerId: string, coupon: CorrelatedPurchase): CorrelatedPurchase {
    const store = this.store;
    if (store instanceof WriteBehindKeyValueStore) {
      const pending = store.draftOf(customerId);
      const draft =
        pending instanceof HistoryDraft ? pending : new HistoryDraft(store.get(customerId) ?? [], this.limit);
      // Written only when the history changed, as addCoupon's result would be.
      if (draft.add(coupon)) store.putDraft(customerId, draft);
    } else {
      const before = store.get(customerId) ?? [];
      const after = addCoupon(before, coupon, this.limit);
      if (after !== before) store.put(customerId, after);
    }
    this.onCoupon?.(coupon);
    return coupon;
  }

  close(): void {
    if (this.store) this.localStores?.unregister(this.partition, this.store);
  }
}
