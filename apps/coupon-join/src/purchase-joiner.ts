import { type CorrelatedPurchase, type Purchase, correlatePurchases } from '@gmart/gmart';

/**
 * The seed's `PurchaseJoiner` (a `ValueJoiner<Purchase, Purchase, CorrelatedPurchase>`): the
 * coffee purchase first, the electronics purchase second; in left and outer joins the missing side
 * is `null` (no item, no date, 0 towards the total).
 */
export function purchaseJoiner(coffee: Purchase | null, electronics: Purchase | null): CorrelatedPurchase {
  return correlatePurchases(coffee, electronics);
}
