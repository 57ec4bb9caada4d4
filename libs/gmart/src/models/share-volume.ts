import { z } from 'zod';
import { requiredText } from './fields';
import type { StockTransaction } from './stock-transaction';
import { symbolField } from './stock-transaction';

/** Schema of a {@link ShareVolume} (same in memory and in JSON). */
export const ShareVolumeSchema = z.object({
  symbol: symbolField,
  industry: requiredText(100),
  shares: z.number('must be a number').int('must be a whole number').min(0, 'must not be negative'),
});

/** Shares traded of one symbol (the seed's `ShareVolume`). */
export type ShareVolume = z.infer<typeof ShareVolumeSchema>;

/** The seed's `ShareVolume.newBuilder(transaction).build()`: one transaction's shares. */
export function shareVolumeOf(t: StockTransaction): ShareVolume {
  return { symbol: t.symbol, industry: t.industry, shares: t.shares };
}

/**
 * The seed's `ShareVolume::sum`: the shares of both; symbol and industry from the newer value
 * (`b`), so a symbol that changed industry is reported under its latest one.
 */
export function sumShareVolumes(a: ShareVolume, b: ShareVolume): ShareVolume {
  return { symbol: b.symbol, industry: b.industry, shares: a.shares + b.shares };
}
