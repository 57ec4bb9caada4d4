import type { CorrelatedPurchase } from './correlated-purchase';
import { writeIsoInstant } from './iso-instant';

/**
 * A correlated purchase's JSON form written straight into bytes: exactly
 * `Buffer.from(JSON.stringify(correlatedPurchaseToJson(c)), 'utf8')` (same bytes, same `RangeError`
 * for an invalid date), without the JSON object, the copy of the items, the ISO date strings and
 * the JSON text per value. The coupon join writes one per coupon, several per purchase; that
 * object and its strings were most of what its `coupons` sink allocated.
 */
export function correlatedPurchaseJsonBytes(c: CorrelatedPurchase): Buffer {
  const items = c.itemsPurchased;
  let bound = FIXED_BYTES + stringBound(c.customerId);
  for (let i = 0; i < items.length; i++) bound += stringBound(items[i]!) + 1;
  const out = reserve(bound);
  let at = writeBytes(out, reserved, CUSTOMER_ID);
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
  return take(at);
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
 * 27-character extended-year ISO instant) and the amount (at most 24 characters).
 */
const FIXED_BYTES = 93 + 2 * 29 + 24;

/** Most bytes a string's JSON text takes in UTF-8: 6 per UTF-16 unit (`\uXXXX`) and the quotes. */
function stringBound(s: string): number {
  return s.length * 6 + 2;
}

/** Writes an ASCII text at `at`; returns the offset after it. */
function writeAscii(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

/**
 * Writes `s` as JSON.stringify does at `at`: quoted as it is when it holds no character JSON
 * escapes (control characters, `"`, `\`) and no surrogate (a lone one is escaped), else
 * JSON.stringify's text. Returns the offset after it.
 */
function writeJsonString(out: Buffer, at: number, s: string): number {
  // One pass for printable ASCII (the usual text): written as it is checked; anything else from
  // the start again, the long way.
  const start = at;
  out[at++] = QUOTE;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === 0x5c) return writeJsonStringSlowly(out, start, s);
    out[at++] = c;
  }
  out[at++] = QUOTE;
  return at;
}

/** {@link writeJsonString} of a text that is not all printable ASCII without `"` and `\`. */
function writeJsonStringSlowly(out: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === QUOTE || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      return at + out.write(JSON.stringify(s), at, 'utf8');
    }
  }
  out[at++] = QUOTE;
  at += out.write(s, at, 'utf8');
  out[at++] = QUOTE;
  return at;
}

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

/**
 * The buffers written into: slices of one pooled buffer, as `Buffer.from` slices small strings
 * from Node's 8 KiB pool (so a kept slice holds no more memory than such a `Buffer.from`'s).
 */
const POOL_BYTES = 8 * 1024;
let pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let used = 0;
/** Where the current value is written from. */
let reserved = 0;

/** A buffer with at least `bound` bytes from {@link reserved} on; the next {@link take} ends the value. */
function reserve(bound: number): Buffer {
  if (bound > POOL_BYTES >>> 1) {
    reserved = 0;
    return (large = Buffer.allocUnsafe(bound));
  }
  large = undefined;
  if (used + bound > POOL_BYTES) {
    pool = Buffer.allocUnsafeSlow(POOL_BYTES);
    used = 0;
  }
  reserved = used;
  return pool;
}
/** The buffer of a value too large for the pool, while it is written. */
let large: Buffer | undefined;

/** The value written from {@link reserved} to `end`, as its own slice. */
function take(end: number): Buffer {
  if (large !== undefined) {
    const out = large.subarray(0, end);
    large = undefined;
    return out;
  }
  const out = pool.subarray(reserved, end);
  // Aligned to 8, as Node's pool keeps its slices.
  used = (end + 7) & ~7;
  return out;
}
