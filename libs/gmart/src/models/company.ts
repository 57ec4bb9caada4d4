import { z } from 'zod';
import { requiredText } from './fields';
import { symbolField } from './stock-transaction';

/** Schema of a {@link Company} (same in memory and in JSON). */
export const CompanySchema = z.object({
  symbol: symbolField,
  name: requiredText(200),
  sector: requiredText(100),
  industry: requiredText(100),
});

/**
 * A publicly traded company (the seed's `PublicTradedCompany`), keyed by symbol on the compacted
 * `companies` topic (read as a GlobalKTable).
 */
export type Company = z.infer<typeof CompanySchema>;
