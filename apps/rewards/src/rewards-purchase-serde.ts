import { type Purchase, type ReadPurchase, type Serde, scanningPurchaseSerde } from '@gmart/gmart';

/** A purchase as rewards reads it: scanned canonical JSON (`ScannedPurchase`), or parsed. */
export type RewardsPurchase = ReadPurchase;

/** What rewards uses of a purchase: whose it is, its amounts and its date (both forms have them). */
export type PurchaseAmounts = Pick<Purchase, 'customerId' | 'quantity' | 'price' | 'purchaseDate'>;

/**
 * The purchase serde of both rewards hops (`purchases` and `customer_transactions`):
 * `@gmart/gmart`'s `scanningPurchaseSerde`. It reads exactly what
 * `GmartSerdes.Purchase({ nullValues: 'reject' })` reads (same values, same errors), a canonical
 * purchase by scanning its bytes instead of `JSON.parse`, and writes a scanned purchase as those
 * bytes: `customer_transactions` carries the same JSON as before, without a `JSON.stringify`.
 */
export function rewardsPurchaseSerde(): Serde<RewardsPurchase> {
  return scanningPurchaseSerde();
}
