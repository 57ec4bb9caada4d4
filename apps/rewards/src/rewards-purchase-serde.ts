import {
  DEFAULT_PURCHASE_DATE_WINDOW,
  GmartSerdes,
  ScannedPurchase,
  scanPurchase,
  type Purchase,
  type Serde,
} from '@gmart/gmart';

/** A purchase as rewards reads it: scanned canonical JSON ({@link ScannedPurchase}), or parsed. */
export type RewardsPurchase = ScannedPurchase | Purchase;

/** What rewards uses of a purchase: whose it is, its amounts and its date (both forms have them). */
export type PurchaseAmounts = Pick<Purchase, 'customerId' | 'quantity' | 'price' | 'purchaseDate'>;

/**
 * The purchase serde of both rewards hops (`purchases` and `customer_transactions`). It reads
 * exactly what `GmartSerdes.Purchase({ nullValues: 'reject' })` reads (same values, same
 * `DeserializationError`s, the same purchase-date window), but a purchase in canonical JSON (what
 * every G-Mart producer writes, masking included) is only scanned (`scanPurchase`): no
 * `JSON.parse`, no objects per field. It writes a scanned purchase as its bytes, unchanged: they
 * are already what `GmartSerdes.Purchase` writes for it; a parsed one is written by that serde.
 * So `customer_transactions` carries the same bytes as before, without a `JSON.stringify` per record.
 */
export function rewardsPurchaseSerde(): Serde<RewardsPurchase> {
  const purchases = GmartSerdes.Purchase({ validateOnSerialize: false, nullValues: 'reject' });
  const deserializer = purchases.deserializer();
  const serializer = purchases.serializer();
  const window = DEFAULT_PURCHASE_DATE_WINDOW;
  return {
    deserializer: () => ({
      deserialize(topic: string, data: Buffer | null): RewardsPurchase | null {
        return (data && scanPurchase(data, window, Date.now())) ?? deserializer.deserialize(topic, data);
      },
    }),
    serializer: () => ({
      serialize(topic: string, value: RewardsPurchase | null): Buffer | null {
        // The consumed record's bytes as they are (nothing writes to them): the producer copies
        // them into its request, so the fetch response they are a view of is kept only until then.
        if (value instanceof ScannedPurchase) return value.json;
        return serializer.serialize(topic, value);
      },
    }),
  };
}
