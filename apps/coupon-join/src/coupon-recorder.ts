import type { CorrelatedPurchase } from '@gmart/gmart';
import type { ProcessorContext, ValueTransformerWithKey } from '@gmart/streams';
import { addCoupon } from './coupon-history';
import type { CouponsStore } from './coupons-store';
import type { LocalCouponStores } from './local-coupon-stores';

/**
 * Records every join result in the coupons store (customer id -> coupons, latest first, at most
 * `limit`) and passes it on unchanged to `coupons`.
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
    const before = this.store.get(customerId) ?? [];
    const after = addCoupon(before, coupon, this.limit);
    if (after !== before) this.store.put(customerId, after);
    this.onCoupon?.(coupon);
    return coupon;
  }

  close(): void {
    if (this.store) this.localStores?.unregister(this.partition, this.store);
  }
}
