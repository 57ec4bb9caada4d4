import { roundToCents } from './fields';
import type { ScannedPurchase } from './scanned-purchase';

const ZIP = Buffer.from('{"zipCode":"', 'latin1');
const ITEM = Buffer.from('","item":"', 'latin1');
const DATE = Buffer.from('","date":"', 'latin1');
const AMOUNT = Buffer.from('","amount":', 'latin1');
/** Length of `purchaseDate`'s canonical text (`2026-11-30T05:55:00.000Z`). */
const DATE_LENGTH = 24;

/** Copies `src[from, to)` to `dst` at `at` (a loop: cheaper than `Buffer.copy` for a few bytes); returns the end. */
function put(dst: Buffer, at: number, src: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) dst[at++] = src[i]!;
  return at;
}

/**
 * The JSON `GmartSerdes.PurchasePattern` writes for `purchasePatternOf(purchase)`, byte for byte,
 * built from a scanned purchase's bytes: its zip code, item and date texts are printable ASCII
 * without quotes or escapes (so their JSON strings are their bytes), the date already in
 * `toISOString`'s form; the amount is `price x quantity` rounded to cents, written as
 * `JSON.stringify` writes a number.
 */
export function purchasePatternBytesOf(p: ScannedPurchase): Buffer {
  const { json, zipCodeStart, zipCodeEnd, itemStart, itemEnd, dateStart } = p;
  const amount = String(roundToCents(p.price * p.quantity));
  const zipLength = zipCodeEnd - zipCodeStart;
  const itemLength = itemEnd - itemStart;
  const out = Buffer.allocUnsafe(
    ZIP.length +
      zipLength +
      ITEM.length +
      itemLength +
      DATE.length +
      DATE_LENGTH +
      AMOUNT.length +
      amount.length +
      1,
  );
  let at = put(out, 0, ZIP, 0, ZIP.length);
  at = put(out, at, json, zipCodeStart, zipCodeEnd);
  at = put(out, at, ITEM, 0, ITEM.length);
  at = put(out, at, json, itemStart, itemEnd);
  at = put(out, at, DATE, 0, DATE.length);
  at = put(out, at, json, dateStart, dateStart + DATE_LENGTH);
  at = put(out, at, AMOUNT, 0, AMOUNT.length);
  for (let i = 0; i < amount.length; i++) out[at++] = amount.charCodeAt(i);
  out[at] = 0x7d;
  return out;
}
