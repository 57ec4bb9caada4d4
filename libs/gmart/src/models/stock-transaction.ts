import { z } from 'zod';
import { instant, instantInput, requiredText } from './fields';
import { formatIsoInstant } from './iso-instant';

/** Bounds that make a stock transaction plausible; anything outside is rejected as absurd. */
export const STOCK_LIMITS = Object.freeze({
  /** Largest number of shares in one transaction. */
  maxShares: 10_000_000,
  /** Largest share price. */
  maxSharePrice: 1_000_000,
});

/** A ticker symbol: 1-10 upper-case letters, digits, `.` or `-` (`XRX`, `BRK.B`). */
export const symbolField = z
  .string('must be a string')
  .trim()
  .regex(/^[A-Z0-9.-]{1,10}$/, 'must be 1-10 upper-case letters, digits, "." or "-"');

/** A number of shares: a whole number from 1 to {@link STOCK_LIMITS}.maxShares. */
export const sharesField = z
  .number('must be a number')
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(STOCK_LIMITS.maxShares, `is absurd: more than ${STOCK_LIMITS.maxShares}`);

/** A share price: positive, at most {@link STOCK_LIMITS}.maxSharePrice. */
export const sharePriceField = z
  .number('must be a number')
  .positive('must be positive')
  .max(STOCK_LIMITS.maxSharePrice, `is absurd: more than ${STOCK_LIMITS.maxSharePrice}`);

const fields = {
  symbol: symbolField,
  sector: requiredText(100),
  industry: requiredText(100),
  shares: sharesField,
  sharePrice: sharePriceField,
  customerId: requiredText(64),
  purchase: z.boolean('must be true (purchase) or false (sale)'),
};

/**
 * Schema of a stock transaction as it arrives (JSON): `transactionTimestamp` is an ISO-8601 string
 * or epoch milliseconds; the result has it in epoch milliseconds.
 */
export const StockTransactionInputSchema = z.object({ ...fields, transactionTimestamp: instantInput });

/** Schema of a {@link StockTransaction} in memory (`transactionTimestamp` in epoch milliseconds). */
export const StockTransactionSchema = z.object({ ...fields, transactionTimestamp: instant });

/**
 * One trade (the seed's `StockTransaction`): `shares` of `symbol` (of `industry` in `sector`) at
 * `sharePrice`, bought (`purchase: true`) or sold by `customerId` at `transactionTimestamp`
 * (event time, epoch milliseconds).
 */
export type StockTransaction = z.infer<typeof StockTransactionSchema>;

/** A stock transaction as written to JSON: `transactionTimestamp` as an ISO-8601 UTC string. */
export type StockTransactionJson = Omit<StockTransaction, 'transactionTimestamp'> & {
  transactionTimestamp: string;
};

/** The JSON form of a stock transaction. */
export function stockTransactionToJson(t: StockTransaction): StockTransactionJson {
  return {
    symbol: t.symbol,
    sector: t.sector,
    industry: t.industry,
    shares: t.shares,
    sharePrice: t.sharePrice,
    customerId: t.customerId,
    transactionTimestamp: formatIsoInstant(t.transactionTimestamp),
    purchase: t.purchase,
  };
}
