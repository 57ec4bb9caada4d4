import type { CorrelatedPurchase } from './correlated-purchase';
import { formatIsoInstant } from './iso-instant';

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
  let at = writeAscii(out, reserved, '{"customerId":');
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
  // JSON's number form: String's for finite numbers (-0 as "0"), null for NaN and the infinities.
  const amount = c.totalAmount;
  at = writeAscii(out, at, Number.isFinite(amount) ? String(amount) : 'null');
  out[at++] = CLOSE_BRACE;
  return take(at);
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const DAY_MS = 86_400_000;
/** Latest instant `toISOString` writes with a 4-digit year (9999-12-31T23:59:59.999Z). */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

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
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === QUOTE || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      return at + out.write(JSON.stringify(s), at, 'utf8');
    }
    if (c > 0x7e) ascii = false;
  }
  out[at++] = QUOTE;
  if (ascii) at = writeAscii(out, at, s);
  else at += out.write(s, at, 'utf8');
  out[at++] = QUOTE;
  return at;
}

/** The day of the last date written and its `YYYY-MM-DDT` (a coupon's dates share days). */
let lastDay = -1;
let lastDayPrefix = '';

/** Writes a date (epoch ms) as its quoted ISO-8601 instant, or `null`; returns the offset after it. */
function writeDate(out: Buffer, at: number, ms: number | null): number {
  if (ms === null) return writeAscii(out, at, 'null');
  out[at++] = QUOTE;
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_FOUR_DIGIT_YEAR_MS) {
    // Outside the years 1970-9999 (or not a whole millisecond): as formatIsoInstant writes it.
    at = writeAscii(out, at, formatIsoInstant(ms));
  } else {
    const day = Math.floor(ms / DAY_MS);
    if (day !== lastDay) {
      lastDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
      lastDay = day;
    }
    at = writeAscii(out, at, lastDayPrefix);
    let rest = ms - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    rest -= seconds * 1000;
    at = writeDigits(out, at, hours, 2);
    out[at++] = 0x3a; // :
    at = writeDigits(out, at, minutes, 2);
    out[at++] = 0x3a;
    at = writeDigits(out, at, seconds, 2);
    out[at++] = 0x2e; // .
    at = writeDigits(out, at, rest, 3);
    out[at++] = 0x5a; // Z
  }
  out[at++] = QUOTE;
  return at;
}

/** Writes `n` (0 <= n < 10^count) as `count` decimal digits; returns the offset after them. */
function writeDigits(out: Buffer, at: number, n: number, count: number): number {
  for (let i = at + count - 1; i >= at; i--) {
    out[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + count;
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
