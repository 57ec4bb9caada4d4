import type { Serde } from '@gmart/streams';
import { DEFAULT_PURCHASE_DATE_WINDOW } from '../models/purchase-date-window';
import type { Purchase } from '../models/purchase';
import { ScannedPurchase, scanPurchase } from '../models/scanned-purchase';
import { GmartSerdes } from './gmart-serdes';

/** A purchase as {@link scanningPurchaseSerde} reads it: scanned canonical JSON, or parsed. */
export type ReadPurchase = ScannedPurchase | Purchase;

/**
 * A purchase serde for events (tombstones refused) that reads exactly what
 * `GmartSerdes.Purchase({ nullValues: 'reject' })` reads (same values, same `DeserializationError`s,
 * the default purchase-date window), but a purchase in canonical JSON (what every G-Mart producer,
 * masking included, writes) is only scanned ({@link scanPurchase}): no `JSON.parse`, no object
 * per field. It writes a scanned purchase as its bytes, unchanged (they are what
 * `GmartSerdes.Purchase` writes for it; the producer copies them into its request), and a parsed
 * one with that serde, without a schema pass (it was validated when read).
 */
export function scanningPurchaseSerde(): Serde<ReadPurchase> {
  const purchases = GmartSerdes.Purchase({ validateOnSerialize: false, nullValues: 'reject' });
  const deserializer = purchases.deserializer();
  const serializer = purchases.serializer();
  const window = DEFAULT_PURCHASE_DATE_WINDOW;
  // The wall clock as last read. The window's only bound that moves with the clock is the latest
  // date (now + maxAheadMs), and the clock does not go back: a date the scan accepts at this time
  // it accepts now too (were the clock set back, it is judged at the time read last, as if read
  // then). A purchase the scan turns down is scanned again at the time read afresh (a date ahead of
  // the old time), and what that turns down the deserializer reads, at its own reading of the
  // clock: the same purchases and errors as reading the clock for every purchase, which cost
  // 35-90 ns a purchase on the bench machine (a tenth of a scan).
  let clock = Date.now();
  const serde: Serde<ReadPurchase> = {
    deserializer: () => ({
      deserialize(topic: string, data: Buffer | null): ReadPurchase | null {
        if (data === null) return deserializer.deserialize(topic, data);
        const scanned = scanPurchase(data, window, clock);
        if (scanned !== undefined) return scanned;
        clock = Date.now();
        return scanPurchase(data, window, clock) ?? deserializer.deserialize(topic, data);
      },
    }),
    serializer: () => ({
      serialize(topic: string, value: ReadPurchase | null): Buffer | null {
        if (value instanceof ScannedPurchase) return value.json;
        return serializer.serialize(topic, value);
      },
    }),
  };
  return serde;
}
