import { type Purchase, type ReadPurchase, type Serde, scanningPurchaseSerde } from '@gmart/gmart';

/** A purchase as rewards reads it: scanned canonical JSON (`ScannedPurchase`), or parsed. */
export type RewardsPurchase = ReadPurchase;

/** What rewards uses of a purchase: whose it is, its amounts and its date (both forms have them). */
export type PurchaseAmounts = Pick<Purchase, 'customerId' | 'quantity' | 'price' | 'purchaseDate'>;

/**
 * The purchase serde of `purchases` (and of purchases in JSON on `customer_transactions`, which
 * earlier versions wrote there; see `repartitionedPurchaseSerde`): `@gmart/gmart`'s
 * `scanningPurchaseSerde`. It reads exactly what `GmartSerdes.Purchase({ nullValues: 'reject' })`
 * reads (same values, same errors), a canonical purchase by scanning its bytes instead of
 * `JSON.parse`.
 */
export function rewardsPurchaseSerde(): Serde<RewardsPurchase> {
  return scanningPurchaseSerde();
}
