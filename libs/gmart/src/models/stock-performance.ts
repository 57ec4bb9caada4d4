import { z } from 'zod';
import { instant } from './fields';

/** Samples in the moving averages of {@link StockPerformance} (the seed's `MAX_LOOK_BACK`). */
export const STOCK_PERFORMANCE_LOOKBACK = 20;

const finite = z.number('must be a number').refine(Number.isFinite, 'must be finite');
const lookback = z
  .array(finite)
  .max(STOCK_PERFORMANCE_LOOKBACK, `must hold at most ${STOCK_PERFORMANCE_LOOKBACK} samples`);

/** Schema of a {@link StockPerformance} (same in memory and in JSON). */
export const StockPerformanceSchema = z.object({
  /** Samples seen in total. */
  samples: z.number('must be a number').int('must be a whole number').min(0, 'must not be negative'),
  currentPrice: finite,
  currentShareVolume: finite,
  /** Mean of the last {@link STOCK_PERFORMANCE_LOOKBACK} prices; null until that many were seen. */
  currentAveragePrice: finite.nullable(),
  currentAverageVolume: finite.nullable(),
  /** `currentPrice / average of the previous 20 prices - 1` (0.02 = 2%); 0 before 20 samples. */
  priceDifferential: finite,
  /** `currentShareVolume / average of the previous 20 volumes - 1`; 0 before 20 samples. */
  shareDifferential: finite,
  /** The last 20 prices, oldest first. */
  sharePriceLookback: lookback,
  /** The last 20 share volumes, oldest first. */
  shareSizeLookback: lookback,
  /** Wall-clock time of the last update (the seed's `lastUpdateSent`), epoch ms. */
  lastUpdateSent: instant,
});

/**
 * The seed's `StockPerformance`: a symbol's latest price and volume, their moving averages over the
 * last {@link STOCK_PERFORMANCE_LOOKBACK} samples, and how far the latest sample is from the average
 * of the samples before it (`priceDifferential`, `shareDifferential`, fractions: 0.02 = 2%).
 * Immutable: {@link updateStockPerformance} returns a new value.
 */
export type StockPerformance = z.infer<typeof StockPerformanceSchema>;

/** A symbol's performance before any sample. */
export function emptyStockPerformance(): StockPerformance {
  return {
    samples: 0,
    currentPrice: 0,
    currentShareVolume: 0,
    currentAveragePrice: null,
    currentAverageVolume: null,
    priceDifferential: 0,
    shareDifferential: 0,
    sharePriceLookback: [],
    shareSizeLookback: [],
    lastUpdateSent: 0,
  };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  // indexed, in order (the same sum as a for-of, without an iterator per call)
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

function differential(value: number, average: number | null): number {
  return average === null || average === 0 ? 0 : value / average - 1;
}

/** A new array of the last {@link STOCK_PERFORMANCE_LOOKBACK} samples of `lookbackValues` and `value`. */
function pushSample(lookbackValues: readonly number[], value: number): number[] {
  const from =
    lookbackValues.length >= STOCK_PERFORMANCE_LOOKBACK
      ? lookbackValues.length - STOCK_PERFORMANCE_LOOKBACK + 1
      : 0;
  // allocated at its final length (a slice then a push grew it into a second backing store)
  const kept = lookbackValues.length - from;
  const next = new Array<number>(kept + 1);
  for (let i = 0; i < kept; i++) next[i] = lookbackValues[from + i]!;
  next[kept] = value;
  return next;
}

/**
 * The seed's `updatePriceStats(price)` + `updateVolumeStats(shares)` + `setLastUpdateSent(now)`:
 * the differentials compare the new sample with the average of the previous 20 (so they are 0
 * until 20 samples were seen), then the sample joins the lookback and the averages are recomputed
 * exactly over the last 20 (no drift from incremental updates).
 */
export function updateStockPerformance(
  previous: StockPerformance,
  price: number,
  shares: number,
  nowMs: number,
): StockPerformance {
  const sharePriceLookback = pushSample(previous.sharePriceLookback, price);
  const shareSizeLookback = pushSample(previous.shareSizeLookback, shares);
  const full = sharePriceLookback.length === STOCK_PERFORMANCE_LOOKBACK;
  return {
    samples: previous.samples + 1,
    currentPrice: price,
    currentShareVolume: shares,
    priceDifferential: differential(price, previous.currentAveragePrice),
    shareDifferential: differential(shares, previous.currentAverageVolume),
    currentAveragePrice: full ? mean(sharePriceLookback) : null,
    currentAverageVolume: full ? mean(shareSizeLookback) : null,
    sharePriceLookback,
    shareSizeLookback,
    lastUpdateSent: nowMs,
  };
}

/**
 * Whether a performance is worth forwarding: the price or the volume moved at least `threshold`
 * (a fraction, 0.02 = 2%) away from its 20-sample average, up or down.
 */
export function exceedsDifferential(p: StockPerformance, threshold: number): boolean {
  return Math.abs(p.priceDifferential) >= threshold || Math.abs(p.shareDifferential) >= threshold;
}
