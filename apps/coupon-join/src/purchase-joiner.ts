import { type CorrelatedPurchase, correlatePurchases } from '@gmart/gmart';
import { heldCoupon } from './coupon-history';
import type { JoinPurchase } from './join-purchase';

/**
 * The seed's `PurchaseJoiner` (a `ValueJoiner<Purchase, Purchase, CorrelatedPurchase>`): the
 * coffee purchase first, the electronics purchase second; in left and outer joins the missing side
 * is `null` (no item, no date, 0 towards the total). It reads only the purchases' customer id,
 * item, price and date: the join carries those ({@link JoinPurchase}), a whole purchase works too.
 * The result is frozen (its items too), in the form the coupons store holds ({@link heldCoupon}),
 * so the store takes it as it is.
 */
export function purchaseJoiner(
  coffee: JoinPurchase | null,
  electronics: JoinPurchase | null,
): CorrelatedPurchase {
  return correlatePurchases(coffee, electronics, heldCoupon);
}
