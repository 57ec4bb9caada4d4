/**
 * Fast readers of the models' JSON forms, the serdes' hot path: each returns exactly what its zod
 * input schema returns for plainly valid JSON (fields trimmed, unknown fields dropped, the schema's
 * field order, instants in epoch milliseconds) and `undefined` whenever the schema might see it
 * otherwise, so that the schema reads it and names the problem. The schemas stay the definition;
 * `test/fast-read.test.ts` holds each reader to its schema on generated values and edge cases.
 */
import { parseIsoInstant } from './iso-instant';
import { PURCHASE_LIMITS, type Purchase } from './purchase';

const PURCHASE_TEXT = PURCHASE_LIMITS.textLength;
import type { RewardAccumulator } from './reward-accumulator';
import type { ShareVolume } from './share-volume';
import { STOCK_PERFORMANCE_LOOKBACK, type StockPerformance } from './stock-performance';
import { STOCK_LIMITS, type StockTransaction } from './stock-transaction';

/** Latest instant accepted anywhere (year 9999), as `fields.ts`'s instant schemas. */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** The value trimmed when it is a string of 1 to `max` characters after trimming, else `undefined`. */
function text(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t.length >= 1 && t.length <= max ? t : undefined;
}

/**
 * Epoch milliseconds of an instant in the form `Date.prototype.toISOString` writes
 * (`2026-11-30T05:55:00.000Z`, what every G-Mart producer writes) or of epoch milliseconds;
 * `undefined` for any other form, which the schema then reads (or refuses).
 */
function instant(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= MAX_EPOCH_MS ? v : undefined;
  return typeof v === 'string' ? parseIsoInstant(v) : undefined;
}

/** `PurchaseInputSchema`'s fast reader (see the module comment). */
export function readPurchaseFast(json: unknown): Purchase | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const firstName = text(o.firstName, PURCHASE_TEXT.firstName);
  const lastName = text(o.lastName, PURCHASE_TEXT.lastName);
  const customerId = text(o.customerId, PURCHASE_TEXT.customerId);
  const creditCardNumber = text(o.creditCardNumber, PURCHASE_TEXT.creditCardNumber);
  const itemPurchased = text(o.itemPurchased, PURCHASE_TEXT.itemPurchased);
  const department = text(o.department, PURCHASE_TEXT.department);
  const employeeId = text(o.employeeId, PURCHASE_TEXT.employeeId);
  const zipCode = text(o.zipCode, PURCHASE_TEXT.zipCode);
  const storeId = text(o.storeId, PURCHASE_TEXT.storeId);
  const quantity = o.quantity as number;
  const price = o.price;
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
    !Number.isSafeInteger(quantity) ||
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

/** The value when it is a string matching the symbol pattern after trimming (trimmed), else `undefined`. */
function symbol(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return SYMBOL.test(t) ? t : undefined;
}
const SYMBOL = /^[A-Z0-9.-]{1,10}$/;

/** `StockTransactionInputSchema`'s fast reader (see the module comment). */
export function readStockTransactionFast(json: unknown): StockTransaction | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const sym = symbol(o.symbol);
  const sector = text(o.sector, 100);
  const industry = text(o.industry, 100);
  const shares = o.shares as number;
  const sharePrice = o.sharePrice;
  const customerId = text(o.customerId, 64);
  const purchase = o.purchase;
  const transactionTimestamp = instant(o.transactionTimestamp);
  if (
    sym === undefined ||
    sector === undefined ||
    industry === undefined ||
    customerId === undefined ||
    transactionTimestamp === undefined ||
    typeof purchase !== 'boolean' ||
    !Number.isSafeInteger(shares) ||
    shares < 1 ||
    shares > STOCK_LIMITS.maxShares ||
    typeof sharePrice !== 'number' ||
    !(sharePrice > 0 && sharePrice <= STOCK_LIMITS.maxSharePrice)
  )
    return undefined;
  return {
    symbol: sym,
    sector,
    industry,
    shares,
    sharePrice,
    customerId,
    purchase,
    transactionTimestamp,
  };
}

/** `ShareVolumeSchema`'s fast reader (see the module comment). */
export function readShareVolumeFast(json: unknown): ShareVolume | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const sym = symbol(o.symbol);
  const industry = text(o.industry, 100);
  const shares = o.shares as number;
  if (sym === undefined || industry === undefined || !Number.isSafeInteger(shares) || shares < 0)
    return undefined;
  return { symbol: sym, industry, shares };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A copy of a lookback array of finite numbers (at most {@link STOCK_PERFORMANCE_LOOKBACK}), else `undefined`. */
function lookback(v: unknown): number[] | undefined {
  if (!Array.isArray(v) || v.length > STOCK_PERFORMANCE_LOOKBACK) return undefined;
  for (let i = 0; i < v.length; i++) if (!finite(v[i])) return undefined;
  return v.slice() as number[];
}

/** `StockPerformanceSchema`'s fast reader (see the module comment). */
export function readStockPerformanceFast(json: unknown): StockPerformance | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const { samples, currentPrice, currentShareVolume, currentAveragePrice, currentAverageVolume } = o;
  const { priceDifferential, shareDifferential, lastUpdateSent } = o;
  const sharePriceLookback = lookback(o.sharePriceLookback);
  const shareSizeLookback = lookback(o.shareSizeLookback);
  if (
    !Number.isSafeInteger(samples) ||
    (samples as number) < 0 ||
    !finite(currentPrice) ||
    !finite(currentShareVolume) ||
    (currentAveragePrice !== null && !finite(currentAveragePrice)) ||
    (currentAverageVolume !== null && !finite(currentAverageVolume)) ||
    !finite(priceDifferential) ||
    !finite(shareDifferential) ||
    sharePriceLookback === undefined ||
    shareSizeLookback === undefined ||
    !Number.isSafeInteger(lastUpdateSent) ||
    (lastUpdateSent as number) < 0 ||
    (lastUpdateSent as number) > MAX_EPOCH_MS
  )
    return undefined;
  return {
    samples: samples as number,
    currentPrice,
    currentShareVolume,
    currentAveragePrice,
    currentAverageVolume,
    priceDifferential,
    shareDifferential,
    sharePriceLookback,
    shareSizeLookback,
    lastUpdateSent: lastUpdateSent as number,
  };
}

const wholeAtLeastZero = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** `RewardAccumulatorSchema`'s fast reader (see the module comment); also its check on write. */
export function readRewardAccumulatorFast(json: unknown): RewardAccumulator | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const customerId = text(o.customerId, 64);
  const { purchaseTotal, totalRewardPoints, currentRewardPoints, daysFromLastPurchase } = o;
  if (
    customerId === undefined ||
    !finite(purchaseTotal) ||
    purchaseTotal < 0 ||
    !wholeAtLeastZero(totalRewardPoints) ||
    !wholeAtLeastZero(currentRewardPoints) ||
    !wholeAtLeastZero(daysFromLastPurchase)
  )
    return undefined;
  return { customerId, purchaseTotal, totalRewardPoints, currentRewardPoints, daysFromLastPurchase };
}
