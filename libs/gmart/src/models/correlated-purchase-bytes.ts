import type { CorrelatedPurchase } from './correlated-purchase';
import { writeIsoInstant } from './iso-instant';
import {
  JSON_NUMBER_BOUND,
  jsonStringBound,
  reserveJsonBytes,
  jsonBytesStart,
  takeJsonBytes,
  writeAscii,
  writeJsonNumber,
  writeJsonString,
} from './json-bytes';

/**
 * A correlated purchase's JSON form written straight into bytes: exactly
 * `Buffer.from(JSON.stringify(correlatedPurchaseToJson(c)), 'utf8')` (same bytes, same `RangeError`
 * for an invalid date), without the JSON object, the copy of the items, the ISO date strings and
 * the JSON text per value. The coupon join writes one per coupon, several per purchase; that
 * object and its strings were most of what its `coupons` sink allocated.
 */
export function correlatedPurchaseJsonBytes(c: CorrelatedPurchase): Buffer {
  const items = c.itemsPurchased;
  let bound = FIXED_BYTES + jsonStringBound(c.customerId);
  for (let i = 0; i < items.length; i++) bound += jsonStringBound(items[i]!) + 1;
  const out = reserveJsonBytes(bound);
  let at = writeAscii(out, jsonBytesStart(), '{"customerId":');
  at = writeJsonString(out, at, c.customerId);
  at = writeAscii(out, at, ',"firstPurchaseDate":');
  at = writeDate(out, at, c.firstPurchaseDate);
  at = writeAscii(out, at, ',"secondPurchaseDate":');
  at = writeDate(out, at, c.secondPurchaseDate);
  at = writeAscii(out, at, ',"itemsPurchased":[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out[at++] = COMMA;
    at = writeJsonString(out, at, items[i]!);
  }
  at = writeAscii(out, at, '],"totalAmount":');
  at = writeJsonNumber(out, at, c.totalAmount);
  out[at++] = CLOSE_BRACE;
  return takeJsonBytes(at);
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/**
 * Bytes beyond the strings: the field names and punctuation (93), two dates (each at most a quoted
 * 27-character extended-year ISO instant) and the amount.
 */
const FIXED_BYTES = 93 + 2 * 29 + JSON_NUMBER_BOUND;

/** Writes a date (epoch ms) as its quoted ISO-8601 instant, or `null`; returns the offset after it. */
function writeDate(out: Buffer, at: number, ms: number | null): number {
  if (ms === null) return writeAscii(out, at, 'null');
  out[at++] = QUOTE;
  at = writeIsoInstant(out, at, ms);
  out[at++] = QUOTE;
  return at;
}
