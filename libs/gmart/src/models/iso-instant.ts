/**
 * ISO-8601 instants in the form `Date.prototype.toISOString` writes (`2026-11-30T05:55:00.000Z`),
 * the form every G-Mart model's JSON uses: written and read without a `Date` per record (the
 * serdes' hot path). Both give exactly what `toISOString` / `Date.UTC` give.
 */

const DAY_MS = 86_400_000;
/** Latest instant `toISOString` writes with a 4-digit year (9999-12-31T23:59:59.999Z). */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** The day of the last instant formatted and its `YYYY-MM-DDT` (records of a stream share days). */
let lastDay = -1;
let lastDayPrefix = '';

/** The time of day {@link splitTimeOfDay} computed last (module state: no object per instant). */
let hours = 0;
let minutes = 0;
let seconds = 0;
let millis = 0;

/** Splits milliseconds since midnight into {@link hours}, {@link minutes}, {@link seconds}, {@link millis}. */
function splitTimeOfDay(msOfDay: number): void {
  hours = Math.floor(msOfDay / 3_600_000);
  let rest = msOfDay - hours * 3_600_000;
  minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  seconds = Math.floor(rest / 1000);
  millis = rest - seconds * 1000;
}

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, exactly (same string, same `RangeError` for an invalid time), about
 * 4x cheaper for whole milliseconds from 1970 to 9999: the day's prefix is computed once per day,
 * the time of day by arithmetic.
 */
export function formatIsoInstant(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_FOUR_DIGIT_YEAR_MS) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    lastDay = day;
  }
  splitTimeOfDay(ms - day * DAY_MS);
  return `${lastDayPrefix}${two(hours)}:${two(minutes)}:${two(seconds)}.${three(millis)}Z`;
}

/** The day of the last instant written by {@link writeIsoInstant} and its `YYYY-MM-DDT` as bytes. */
let lastWrittenDay = -1;
const lastWrittenPrefix = Buffer.alloc(11);

const ZERO = 0x30;
const COLON = 0x3a;

/** Writes `n` (0-99) as two ASCII digits at `at`. */
function writeTwo(out: Buffer, at: number, n: number): void {
  const tens = (n / 10) | 0;
  out[at] = ZERO + tens;
  out[at + 1] = ZERO + n - tens * 10;
}

/**
 * Writes `new Date(ms).toISOString()` into `out` at `at` as ASCII (the same bytes, the same
 * `RangeError` for an invalid time) and returns the offset after it: for whole milliseconds from
 * 1970 to 9999 without a string (the day's prefix kept as bytes, the time of day as digits), which
 * is what writing an instant into a record's bytes needs; `out` must have room for 27 bytes.
 */
export function writeIsoInstant(out: Buffer, at: number, ms: number): number {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_FOUR_DIGIT_YEAR_MS) {
    const text = new Date(ms).toISOString();
    for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
    return at;
  }
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastWrittenDay) {
    lastWrittenPrefix.write(new Date(day * DAY_MS).toISOString().slice(0, 11), 'latin1');
    lastWrittenDay = day;
  }
  for (let i = 0; i < 11; i++) out[at + i] = lastWrittenPrefix[i]!;
  splitTimeOfDay(ms - day * DAY_MS);
  writeTwo(out, at + 11, hours);
  out[at + 13] = COLON;
  writeTwo(out, at + 14, minutes);
  out[at + 16] = COLON;
  writeTwo(out, at + 17, seconds);
  out[at + 19] = 0x2e; // '.'
  const hundreds = (millis / 100) | 0;
  out[at + 20] = ZERO + hundreds;
  writeTwo(out, at + 21, millis - hundreds * 100);
  out[at + 23] = 0x5a; // 'Z'
  return at + 24;
}

/** The number the `count` ASCII digits of `s` from `at` make, or -1 when one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch milliseconds of an instant written as `toISOString` writes it from 1970 on
 * (`2026-11-30T05:55:00.000Z`: what `Date.parse` gives for it), or `undefined` for any other string
 * (another form, or a date that does not exist), which callers then read another way.
 */
export function parseIsoInstant(v: string): number | undefined {
  if (
    v.length !== 24 ||
    v[4] !== '-' ||
    v[7] !== '-' ||
    v[10] !== 'T' ||
    v[13] !== ':' ||
    v[16] !== ':' ||
    v[19] !== '.' ||
    v[23] !== 'Z'
  )
    return undefined;
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 2);
  const day = digits(v, 8, 2);
  const hour = digits(v, 11, 2);
  const minute = digits(v, 14, 2);
  const second = digits(v, 17, 2);
  const milli = digits(v, 20, 3);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}
