/**
 * Writing a model's JSON text straight into bytes, exactly as `Buffer.from(JSON.stringify(...),
 * 'utf8')` writes it, without the JSON text as a string nor a Buffer of its own per value: a writer
 * reserves a bound of bytes ({@link reserveJsonBytes}), writes its fields from {@link jsonBytesStart} with the
 * functions below, and takes the value ({@link takeJsonBytes}) as a slice of a pooled buffer. Writers run to the
 * end synchronously, one at a time (the pool is module state).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;

/** Most bytes a string's JSON text takes in UTF-8: 6 per UTF-16 unit (`\uXXXX`) and the quotes. */
export function jsonStringBound(s: string): number {
  return s.length * 6 + 2;
}

/** Most bytes {@link writeJsonNumber} writes: JSON.stringify's longest number (`-1.2345678901234567e-308`). */
export const JSON_NUMBER_BOUND = 24;

/** Writes an ASCII text at `at`; returns the offset after it. */
export function writeAscii(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

/**
 * Writes `s` as JSON.stringify does at `at`: quoted, copied byte by byte while it is printable
 * ASCII other than `"` and `\`; at the first other character, the whole string again as
 * JSON.stringify's text in UTF-8 (escapes, lone surrogates escaped). Returns the offset after it.
 */
export function writeJsonString(out: Buffer, at: number, s: string): number {
  const start = at;
  out[at++] = QUOTE;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH)
      return start + out.write(JSON.stringify(s), start, 'utf8');
    out[at++] = c;
  }
  out[at++] = QUOTE;
  return at;
}

/**
 * Writes a number as JSON.stringify does at `at` (`String(n)` for a finite number, `-0` as `0`;
 * `null` for NaN and the infinities); a safe integer digit by digit, without a string. Returns the
 * offset after it.
 */
export function writeJsonNumber(out: Buffer, at: number, n: number): number {
  if (!Number.isSafeInteger(n)) return writeAscii(out, at, Number.isFinite(n) ? String(n) : 'null');
  // (-0 is a safe integer and not below 0: written "0", as String(-0))
  if (n < 0) {
    out[at++] = MINUS;
    n = -n;
  }
  if (n < BILLION) return writeDigits(out, at, n);
  // Above 10^9 (a millisecond timestamp): the high part, then the low 9 digits zero-padded, each
  // in 32-bit integer arithmetic.
  const high = Math.floor(n / BILLION);
  at = writeDigits(out, at, high);
  let low = n - high * BILLION;
  for (let i = at + 8; i >= at; i--) {
    const q = (low / 10) | 0;
    out[i] = ZERO + (low - q * 10);
    low = q;
  }
  return at + 9;
}

const BILLION = 1_000_000_000;

/** Writes the decimal digits of `v` (0 <= v < 10^9) at `at`; returns the offset after them. */
function writeDigits(out: Buffer, at: number, v: number): number {
  let digits = 1;
  for (let p = 10; p <= v; p *= 10) digits++;
  const end = at + digits;
  for (let i = end - 1; i > at; i--) {
    const q = (v / 10) | 0;
    out[i] = ZERO + (v - q * 10);
    v = q;
  }
  out[at] = ZERO + v;
  return end;
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
/** The buffer of a value too large for the pool, while it is written. */
let large: Buffer | undefined;

/**
 * A buffer with at least `bound` bytes from {@link jsonBytesStart} on, to write one value into; the
 * next {@link takeJsonBytes} ends the value.
 */
export function reserveJsonBytes(bound: number): Buffer {
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

/** Where the value being written starts in the buffer {@link reserveJsonBytes} returned. */
export function jsonBytesStart(): number {
  return reserved;
}

/** The value written from {@link jsonBytesStart} to `end`, as its own slice. */
export function takeJsonBytes(end: number): Buffer {
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
