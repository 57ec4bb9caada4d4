import {
  DEFAULT_PURCHASE_DATE_WINDOW,
  GmartSerdes,
  ScannedPurchase,
  scanPurchase,
  type Purchase,
} from '@gmart/gmart';
import type { Serde } from '@gmart/streams';

/** A purchase as coupon-join reads it from `purchases`: scanned canonical JSON ({@link ScannedPurchase}), or parsed. */
export type ReadPurchase = ScannedPurchase | Purchase;

/**
 * The purchase serde of `purchases`, `coffee` and `electronics`. It reads exactly what
 * `GmartSerdes.Purchase({ nullValues: 'reject' })` reads (same purchases, same
 * `DeserializationError`s, the same purchase-date window), but a purchase in canonical JSON (what
 * every G-Mart producer writes, masking included) is only scanned (`scanPurchase`): no
 * `JSON.parse`, no object per field. A scanned purchase is written as its bytes, unchanged: they
 * are already what `GmartSerdes.Purchase` writes for it, so `coffee` and `electronics` carry the
 * same bytes as before without a `JSON.stringify` per record; a parsed one is written by that serde.
 */
export function readPurchaseSerde(): Serde<ReadPurchase> {
  const purchases = GmartSerdes.Purchase({ validateOnSerialize: false, nullValues: 'reject' });
  const deserializer = purchases.deserializer();
  const serializer = purchases.serializer();
  const window = DEFAULT_PURCHASE_DATE_WINDOW;
  return {
    deserializer: () => ({
      deserialize(topic: string, data: Buffer | null): ReadPurchase | null {
        return (data && scanPurchase(data, window, Date.now())) ?? deserializer.deserialize(topic, data);
      },
    }),
    serializer: () => ({
      serialize(topic: string, value: ReadPurchase | null): Buffer | null {
        // The consumed record's bytes: nothing writes to them, so they are passed on as they are.
        if (value instanceof ScannedPurchase) return value.json;
        return serializer.serialize(topic, value);
      },
    }),
  };
}

const QUOTE = 0x22;
/** What follows the card number's value in canonical JSON, up to `itemPurchased`'s value. */
const TO_ITEM = Buffer.byteLength('","itemPurchased":"', 'latin1');
/** What follows `itemPurchased`'s value, up to `department`'s value. */
const TO_DEPARTMENT = Buffer.byteLength('","department":"', 'latin1');

/**
 * Byte range of `itemPurchased`'s value in a scanned purchase. Canonical JSON has it right after the
 * card number, and its text holds no quote (printable ASCII without escapes), so its end is the
 * next quote.
 */
function itemStart(p: ScannedPurchase): number {
  return p.cardEnd + TO_ITEM;
}

function itemEnd(p: ScannedPurchase): number {
  return p.json.indexOf(QUOTE, itemStart(p));
}

/** The purchase's `itemPurchased`. */
export function itemOf(p: ReadPurchase): string {
  if (!(p instanceof ScannedPurchase)) return p.itemPurchased;
  return p.json.toString('latin1', itemStart(p), itemEnd(p));
}

/** The purchase's `department`. */
export function departmentOf(p: ReadPurchase): string {
  if (!(p instanceof ScannedPurchase)) return p.department;
  const start = itemEnd(p) + TO_DEPARTMENT;
  return p.json.toString('latin1', start, p.json.indexOf(QUOTE, start));
}

/**
 * `departmentOf(p).toLowerCase() === lowerCaseName`, for an all-lower-case ASCII name: a scanned
 * purchase's department (printable ASCII) is compared in its bytes, without a string.
 */
export function inDepartment(p: ReadPurchase, lowerCaseName: string): boolean {
  if (!(p instanceof ScannedPurchase)) return p.department.toLowerCase() === lowerCaseName;
  const json = p.json;
  const start = itemEnd(p) + TO_DEPARTMENT;
  const n = lowerCaseName.length;
  if (json[start + n] !== QUOTE) return false;
  for (let i = 0; i < n; i++) {
    let c = json[start + i]!;
    // ASCII upper case to lower case, as toLowerCase does for ASCII.
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lowerCaseName.charCodeAt(i)) return false;
  }
  return true;
}
