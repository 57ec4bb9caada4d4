/** Helpers of the storage tests only; the shared ones are in `@gmart/test-support`. */
import { maskPurchase, type Purchase, PurchaseGenerator, purchaseToJson } from '@gmart/gmart';

/** `count` masked purchases (as the masking service writes them), deterministic for `seed`. */
export function maskedPurchases(count: number, seed: number, suspectShare = 0.05): Purchase[] {
  return new PurchaseGenerator({ seed, customers: 200, suspectEmployeeShare: suspectShare })
    .take(count)
    .map(maskPurchase);
}

export function json(p: Purchase): string {
  return JSON.stringify(purchaseToJson(p));
}
