import { PURCHASE_LIMITS, type Purchase } from './purchase';

/** Latest instant accepted anywhere (year 9999), as `fields.ts`'s instant schemas. */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** The value trimmed when it is a string of 1 to `max` characters after trimming, else `undefined`. */
function text(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t.length >= 1 && t.length <= max ? t : undefined;
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
 * Epoch milliseconds of an instant in the form `Date.prototype.toISOString` writes
 * (`2026-11-30T05:55:00.000Z`, what every G-Mart producer writes) or of epoch milliseconds;
 * `undefined` for any other form, which the schema then reads (or refuses).
 */
function instant(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= MAX_EPOCH_MS ? v : undefined;
  if (
    typeof v !== 'string' ||
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

/**
 * Reads parsed JSON as a {@link Purchase} when it is plainly valid, with exactly the result
 * `PurchaseInputSchema` gives (fields trimmed, unknown fields dropped, the schema's field order,
 * `purchaseDate` in epoch milliseconds); `undefined` whenever the schema might see it otherwise
 * (any invalid field, a date in another ISO-8601 form), so that the schema reads it and names the
 * problem. The serde's fast path: the schema is the definition, this only skips it for the
 * common case (`test/purchase-fast-read.test.ts` holds the two to the same results).
 */
export function readPurchaseFast(json: unknown): Purchase | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const firstName = text(o.firstName, 100);
  const lastName = text(o.lastName, 100);
  const customerId = text(o.customerId, 64);
  const creditCardNumber = text(o.creditCardNumber, 40);
  const itemPurchased = text(o.itemPurchased, 200);
  const department = text(o.department, 100);
  const employeeId = text(o.employeeId, 64);
  const zipCode = text(o.zipCode, 20);
  const storeId = text(o.storeId, 64);
  const { quantity, price } = o;
  const purchaseDate = instant(o.purchaseDate);
  if (
    firstName === undefined ||
    lastName === undefined ||
    customerId === undefined ||
    creditCardNumber === undefined ||
    itemPurchased === undefined ||
    department === undefined ||
    employeeId === undefined ||
    zipCode === undefined ||
    storeId === undefined ||
    purchaseDate === undefined ||
    typeof quantity !== 'number' ||
    !Number.isInteger(quantity) ||
    quantity < 1 ||
    quantity > PURCHASE_LIMITS.maxQuantity ||
    typeof price !== 'number' ||
    !(price >= 0 && price <= PURCHASE_LIMITS.maxPrice)
  )
    return undefined;
  return {
    firstName,
    lastName,
    customerId,
    creditCardNumber,
    itemPurchased,
    department,
    employeeId,
    quantity,
    price,
    zipCode,
    storeId,
    purchaseDate,
  };
}
