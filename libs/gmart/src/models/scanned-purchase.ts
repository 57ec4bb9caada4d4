import { MIN_CARD_DIGITS } from '../cards/card-number-format';
import { parseIsoInstant } from './iso-instant';
import { PURCHASE_LIMITS } from './purchase';
import { purchaseDateProblem, type PurchaseDateWindow } from './purchase-date-window';

/**
 * A purchase read from its JSON bytes without parsing them into objects: the bytes were checked to
 * be a valid purchase in the exact form `JSON.stringify(purchaseToJson(p))` writes (what every
 * G-Mart producer writes), so they are its canonical JSON as they are. It records where the values
 * that masking may change lie (the card number, and the other text fields with enough digits to
 * hold one) and the values a reader of amounts needs (customer id, quantity, price, purchase date),
 * each exactly as the purchase deserializer reads it.
 */
export class ScannedPurchase {
  private customerIdText: string | undefined;

  constructor(
    /** The purchase's canonical JSON (a view of the consumed record's bytes). */
    readonly json: Buffer,
    /** Byte range of the `creditCardNumber` value (inside its quotes). */
    readonly cardStart: number,
    readonly cardEnd: number,
    /** Start and end pairs of the other text values with at least 13 digits, else `null`. */
    readonly digitRuns: number[] | null,
    /** Byte range of the `customerId` value (inside its quotes). */
    readonly customerIdStart: number,
    readonly customerIdEnd: number,
    /** `quantity`, as the deserializer reads it. */
    readonly quantity: number,
    /** `price`, as the deserializer reads it. */
    readonly price: number,
    /** `purchaseDate` in epoch milliseconds, as the deserializer reads it. */
    readonly purchaseDate: number,
    /** Byte ranges of the `itemPurchased`, `purchaseDate` and `zipCode` values (inside their quotes). */
    readonly itemStart: number,
    readonly itemEnd: number,
    readonly dateStart: number,
    readonly zipCodeStart: number,
    readonly zipCodeEnd: number,
  ) {}

  /** `customerId`, as the deserializer reads it (printable ASCII, so its bytes are its characters). */
  get customerId(): string {
    return (this.customerIdText ??= this.json.toString('latin1', this.customerIdStart, this.customerIdEnd));
  }
}

const TEXT = PURCHASE_LIMITS.textLength;
/** A purchase's fields in `purchaseToJson` order; text fields with their length limit (the schema's). */
const FIELDS: ReadonlyArray<{ name: string; kind: 'text' | 'quantity' | 'price' | 'date'; max: number }> = [
  { name: 'firstName', kind: 'text', max: TEXT.firstName },
  { name: 'lastName', kind: 'text', max: TEXT.lastName },
  { name: 'customerId', kind: 'text', max: TEXT.customerId },
  { name: 'creditCardNumber', kind: 'text', max: TEXT.creditCardNumber },
  { name: 'itemPurchased', kind: 'text', max: TEXT.itemPurchased },
  { name: 'department', kind: 'text', max: TEXT.department },
  { name: 'employeeId', kind: 'text', max: TEXT.employeeId },
  { name: 'quantity', kind: 'quantity', max: 0 },
  { name: 'price', kind: 'price', max: 0 },
  { name: 'purchaseDate', kind: 'date', max: 0 },
  { name: 'zipCode', kind: 'text', max: TEXT.zipCode },
  { name: 'storeId', kind: 'text', max: TEXT.storeId },
];
const CUSTOMER_ID_FIELD = 2;
const CARD_FIELD = 3;
const ITEM_FIELD = 4;
const DATE_FIELD = 9;
const ZIP_CODE_FIELD = 10;
/** Byte range of each text value (inside its quotes) of the purchase being scanned, by field index. */
const valueStarts = new Int32Array(FIELDS.length);
const valueEnds = new Int32Array(FIELDS.length);
// Module bindings read once (a re-exported binding is a getter call per read under CommonJS).
const MIN_DIGITS = MIN_CARD_DIGITS;
const MAX_QUANTITY = PURCHASE_LIMITS.maxQuantity;
const MAX_PRICE = PURCHASE_LIMITS.maxPrice;
/** `{"firstName":`, `,"lastName":`, ...: what precedes each value. */
const PREFIXES = FIELDS.map((f, i) => Buffer.from(`${i === 0 ? '{' : ','}"${f.name}":`, 'latin1'));

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;

function prefixAt(b: Buffer, at: number, prefix: Buffer): boolean {
  if (at + prefix.length > b.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return false;
  return true;
}

/** Whether a byte (or `undefined` past the end) is an ASCII digit. */
export const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** End of the JSON number starting at `at` (RFC 8259 grammar), or -1 when there is none. */
export function numberEnd(b: Buffer, at: number): number {
  let i = at;
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i]) && b[i] !== 0x30) while (isDigit(b[i])) i++;
  else return -1;
  if (b[i] === 0x2e) {
    const from = ++i;
    while (isDigit(b[i])) i++;
    if (i === from) return -1;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    const from = i;
    while (isDigit(b[i])) i++;
    if (i === from) return -1;
  }
  return i;
}

/** `10 ** i`, exact for every `i` here (up to 22). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** The value of the number {@link plainDecimalEnd} read last. */
let plainDecimal = 0;

/**
 * End of the number at `at` when it is a plain decimal that `String` writes exactly so (`0`, `7`,
 * `53.03`, `0.05`: no sign, no exponent, no leading or trailing zero, at most 15 significant
 * digits, not below 1e-6), with its value in {@link plainDecimal}; -1 for anything else, which the
 * caller checks the long way (`Number` and `String` of the text). The value is exact: the digits
 * as an integer below 2^53 divided by a power of ten, both exact, is one correctly rounded
 * division, which is `Number(text)`; and a decimal of at most 15 significant digits is the
 * shortest that reads back as its double, so `String` writes it as it is.
 */
export function plainDecimalEnd(b: Buffer, at: number): number {
  let i = at;
  let m = 0;
  let significant = 0;
  let c = b[i];
  const leadingZero = c === 0x30;
  if (leadingZero) c = b[++i];
  else {
    while (c !== undefined && c >= 0x30 && c <= 0x39) {
      m = m * 10 + (c - 0x30);
      significant++;
      c = b[++i];
    }
    if (significant === 0) return -1;
  }
  let fraction = 0;
  if (c === 0x2e) {
    c = b[++i];
    while (c !== undefined && c >= 0x30 && c <= 0x39) {
      m = m * 10 + (c - 0x30);
      fraction++;
      if (significant > 0 || c !== 0x30) significant++;
      c = b[++i];
    }
    if (fraction === 0 || b[i - 1] === 0x30) return -1;
    // Below 1e-6 `String` writes an exponent.
    if (leadingZero && fraction - significant > 5) return -1;
  }
  if (significant > 15 || c === 0x65 || c === 0x45 || (c !== undefined && c >= 0x30 && c <= 0x39)) return -1;
  plainDecimal = fraction === 0 ? m : m / POW10[fraction]!;
  return i;
}

/** The value of the number {@link plainDecimalEnd} read last. */
export function plainDecimalValue(): number {
  return plainDecimal;
}

/** The day (`YYYY-MM-DD` bytes) of the last instant read, and its epoch milliseconds. */
const lastDay = Buffer.alloc(10);
let lastDayMs = -1;

/** The two ASCII digits of `b` at `at` as a number, or -1. */
function two(b: Buffer, at: number): number {
  const hi = b[at]! - 0x30;
  const lo = b[at + 1]! - 0x30;
  return hi >= 0 && hi <= 9 && lo >= 0 && lo <= 9 ? hi * 10 + lo : -1;
}

/**
 * `parseIsoInstant` of the bytes `b[start, end)`, exactly, without a string: the day's epoch
 * milliseconds are computed once per day (a stream's purchases share days), the time of day by
 * arithmetic.
 */
export function isoInstantAt(b: Buffer, start: number, end: number): number | undefined {
  if (end - start !== 24) return undefined;
  let sameDay = lastDayMs >= 0;
  for (let i = 0; sameDay && i < 10; i++) sameDay = b[start + i] === lastDay[i];
  if (!sameDay) {
    const day = parseIsoInstant(`${b.toString('latin1', start, start + 10)}T00:00:00.000Z`);
    if (day === undefined) return undefined;
    b.copy(lastDay, 0, start, start + 10);
    lastDayMs = day;
  }
  if (b[start + 10] !== 0x54 || b[start + 13] !== 0x3a || b[start + 16] !== 0x3a) return undefined;
  if (b[start + 19] !== 0x2e || b[start + 23] !== 0x5a) return undefined;
  const hour = two(b, start + 11);
  const minute = two(b, start + 14);
  const second = two(b, start + 17);
  const centis = two(b, start + 20);
  const last = b[start + 22]! - 0x30;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (centis < 0 || last < 0 || last > 9) return undefined;
  return lastDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + centis * 10 + last;
}

/**
 * The purchase in `json` as a {@link ScannedPurchase} when the bytes are exactly the canonical
 * JSON of a purchase the `@gmart/gmart` purchase deserializer accepts within `window` at `now`:
 * its twelve fields in `purchaseToJson` order and nothing else, no whitespace between tokens, text
 * in printable ASCII without escapes and without surrounding spaces, within each field's length,
 * `quantity` a whole number from 1 to the limit, `price` from 0 to the limit written as
 * `String(price)` writes it, `purchaseDate` as `toISOString` writes it, inside the window.
 * `undefined` for anything else (valid or not): the caller then reads it with the deserializer,
 * which gives the same purchase or names the problem.
 */
export function scanPurchase(
  json: Buffer,
  window: PurchaseDateWindow | null,
  now: number,
): ScannedPurchase | undefined {
  let at = 0;
  let quantity = 0;
  let price = 0;
  let purchaseDate = 0;
  let digitRuns: number[] | null = null;
  const length = json.length;
  for (let f = 0; f < FIELDS.length; f++) {
    const prefix = PREFIXES[f]!;
    if (!prefixAt(json, at, prefix)) return undefined;
    at += prefix.length;
    const field = FIELDS[f]!;
    if (field.kind === 'quantity' || field.kind === 'price') {
      let end = plainDecimalEnd(json, at);
      let n = plainDecimal;
      if (end < 0) {
        end = numberEnd(json, at);
        if (end < 0) return undefined;
        const text = json.toString('latin1', at, end);
        n = Number(text);
        if (String(n) !== text) return undefined;
      }
      if (field.kind === 'quantity') {
        if (!Number.isSafeInteger(n) || n < 1 || n > MAX_QUANTITY) return undefined;
        quantity = n;
      } else {
        if (!(n >= 0 && n <= MAX_PRICE)) return undefined;
        price = n;
      }
      at = end;
      continue;
    }
    if (json[at] !== QUOTE) return undefined;
    const start = at + 1;
    // One pass to the closing quote: printable ASCII, no escapes, digits counted.
    let end = start;
    let digits = 0;
    for (; end < length; end++) {
      const c = json[end]!;
      if (c === QUOTE) break;
      if (c < SPACE || c > 0x7e || c === BACKSLASH) return undefined;
      if (c >= 0x30 && c <= 0x39) digits++;
    }
    if (end >= length) return undefined;
    at = end + 1;
    if (field.kind === 'date') {
      const ms = isoInstantAt(json, start, end);
      if (ms === undefined || (window !== null && purchaseDateProblem(ms, window, now) !== undefined))
        return undefined;
      purchaseDate = ms;
      valueStarts[f] = start;
      continue;
    }
    const textLength = end - start;
    if (textLength < 1 || textLength > field.max || json[start] === SPACE || json[end - 1] === SPACE)
      return undefined;
    valueStarts[f] = start;
    valueEnds[f] = end;
    // Other text values that could hold a card number (the card number itself is always masked).
    if (f !== CARD_FIELD && digits >= MIN_DIGITS) (digitRuns ??= []).push(start, end);
  }
  if (at !== length - 1 || json[at] !== 0x7d) return undefined;
  return new ScannedPurchase(
    json,
    valueStarts[CARD_FIELD]!,
    valueEnds[CARD_FIELD]!,
    digitRuns,
    valueStarts[CUSTOMER_ID_FIELD]!,
    valueEnds[CUSTOMER_ID_FIELD]!,
    quantity,
    price,
    purchaseDate,
    valueStarts[ITEM_FIELD]!,
    valueEnds[ITEM_FIELD]!,
    valueStarts[DATE_FIELD]!,
    valueStarts[ZIP_CODE_FIELD]!,
    valueEnds[ZIP_CODE_FIELD]!,
  );
}
