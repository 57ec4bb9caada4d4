import { z } from 'zod';
import { requiredText } from './fields';
import type { StockTransaction } from './stock-transaction';
import { symbolField } from './stock-transaction';

const optionalName = requiredText(200).nullable();

/** Schema of a {@link TransactionSummary} (same in memory and in JSON). */
export const TransactionSummarySchema = z.object({
  customerId: requiredText(64),
  stockTicker: symbolField,
  industry: requiredText(100),
  /** Transactions in the window; 0 when the summary is only a grouping key. */
  summaryCount: z.number('must be a number').int('must be a whole number').min(0, 'must not be negative'),
  customerName: optionalName,
  companyName: optionalName,
});

/**
 * The seed's `TransactionSummary`: which customer traded which stock. As a grouping key only
 * `customerId` and `stockTicker` matter ({@link transactionSummaryKey}); the windowed counts fill
 * `summaryCount`, the GlobalKTable joins `companyName` and `customerName`.
 */
export type TransactionSummary = z.infer<typeof TransactionSummarySchema>;

/** The seed's `TransactionSummary.from(transaction)`. */
export function transactionSummaryOf(t: StockTransaction): TransactionSummary {
  return {
    customerId: t.customerId,
    stockTicker: t.symbol,
    industry: t.industry,
    summaryCount: 0,
    customerName: null,
    companyName: null,
  };
}

/**
 * The grouping key of a summary: `customerId` and `stockTicker` (`"C-0001|XRX"`), the fields the
 * seed's `TransactionSummary.equals` compares.
 */
export function transactionSummaryKey(s: Pick<TransactionSummary, 'customerId' | 'stockTicker'>): string {
  return `${s.customerId}|${s.stockTicker}`;
}
