import type { CorrelatedPurchase } from './correlated-purchase';
import { writeIsoInstant } from './iso-instant';
import {
  JSON_NUMBER_BOUND,
  jsonStringBound,
  reserveJsonBytes,
  jsonBytesStart,
  takeJsonBytes,
  writeAscii,
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
  let at = writeBytes(out, jsonBytesStart(), CUSTOMER_ID);
  at = writeJsonString(out, at, c.customerId);
  at = writeBytes(out, at, FIRST_DATE);
  at = writeDate(out, at, c.firstPurchaseDate);
  at = writeBytes(out, at, SECOND_DATE);
  at = writeDate(out, at, c.secondPurchaseDate);
  at = writeBytes(out, at, ITEMS);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out[at++] = COMMA;
    at = writeJsonString(out, at, items[i]!);
  }
  at = writeBytes(out, at, TOTAL_AMOUNT);
  at = writeAmount(out, at, c.totalAmount);
  out[at++] = CLOSE_BRACE;
  return takeJsonBytes(at);
}

/** The field names and their punctuation, as bytes. */
const CUSTOMER_ID = Buffer.from('{"customerId":', 'latin1');
const FIRST_DATE = Buffer.from(',"firstPurchaseDate":', 'latin1');
const SECOND_DATE = Buffer.from(',"secondPurchaseDate":', 'latin1');
const ITEMS = Buffer.from(',"itemsPurchased":[', 'latin1');
const TOTAL_AMOUNT = Buffer.from('],"totalAmount":', 'latin1');

/** Writes `bytes` at `at`; returns the offset after them. */
function writeBytes(out: Buffer, at: number, bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) out[at++] = bytes[i]!;
  return at;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const ZERO = 0x30;
const DOT = 0x2e;

/**
 * Bytes beyond the strings: the field names and punctuation (93), two dates (each at most a quoted
 * 27-character extended-year ISO instant) and the amount.
 */
const FIXED_BYTES = 93 + 2 * 29 + JSON_NUMBER_BOUND;

/** Amounts below this in whole cents are written from their cents (see {@link writeAmount}). */
const CENTS_LIMIT = 1e13;

/**
 * Writes a number as JSON does: `String`'s form for finite numbers (-0 as "0"), null for NaN and
 * the infinities. An amount in whole cents (`cents / 100 === amount`, from 0 to 1e13, what
 * `roundToCents` makes) is written from its cents, without a string: it is the double nearest to
 * that decimal, and no shorter decimal is (doubles below 1e13 are less than 0.002 apart, shorter
 * decimals of it at least 0.01), so it is the shortest decimal that reads back as the amount,
 * which is what `String` writes; in plain notation, as `String` does from 1e-6 to 1e21.
 */
function writeAmount(out: Buffer, at: number, amount: number): number {
  if (amount >= 0 && amount < CENTS_LIMIT) {
    const cents = Math.round(amount * 100);
    if (cents / 100 === amount) return writeCents(out, at, cents);
  }
  return writeAscii(out, at, Number.isFinite(amount) ? String(amount) : 'null');
}

/** Writes a whole number of cents (0 to 1e15) as a decimal without trailing zeros; returns the offset after it. */
function writeCents(out: Buffer, at: number, cents: number): number {
  let whole = Math.floor(cents / 100);
  const fraction = cents - whole * 100;
  if (whole < 10) out[at++] = ZERO + whole;
  else {
    // Digits from the last, then reversed in place.
    const first = at;
    while (whole > 0) {
      const rest = Math.floor(whole / 10);
      out[at++] = ZERO + (whole - rest * 10);
      whole = rest;
    }
    for (let i = first, j = at - 1; i < j; i++, j--) {
      const d = out[i]!;
      out[i] = out[j]!;
      out[j] = d;
    }
  }
  if (fraction !== 0) {
    out[at++] = DOT;
    const tens = (fraction / 10) | 0;
    out[at++] = ZERO + tens;
    const ones = fraction - tens * 10;
    if (ones !== 0) out[at++] = ZERO + ones;
  }
  return at;
}

/** Writes a date (epoch ms) as its quoted ISO-8601 instant, or `null`; returns the offset after it. */
function writeDate(out: Buffer, at: number, ms: number | null): number {
  if (ms === null) return writeAscii(out, at, 'null');
  out[at++] = QUOTE;
  at = writeIsoInstant(out, at, ms);
  out[at++] = QUOTE;
  return at;
}
