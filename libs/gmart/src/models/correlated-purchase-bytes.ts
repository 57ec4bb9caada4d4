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
