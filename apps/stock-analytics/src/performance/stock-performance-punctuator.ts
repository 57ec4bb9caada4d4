import { type StockPerformance, exceedsDifferential } from '@gmart/gmart';
import { type ProcessorContext, Record } from '@gmart/streams';
import type { StockPerformanceStore } from './stock-performance-store';

/**
 * The seed's `StockPerformancePunctuator`: walks the whole performance store and forwards
 * (key = symbol, timestamp = the punctuation time) every symbol whose price or volume is at least
 * `differentialThreshold` away from its 20-sample average. Returns how many it forwarded.
 */
export function punctuateStockPerformance(
  timestamp: number,
  store: StockPerformanceStore,
  context: ProcessorContext<string, StockPerformance>,
  differentialThreshold: number,
): number {
  let forwarded = 0;
  const it = store.all();
  try {
    for (const { key, value } of it) {
      if (value && exceedsDifferential(value, differentialThreshold)) {
        context.forward(new Record(key, value, timestamp));
        forwarded++;
      }
    }
  } finally {
    it.close();
  }
  return forwarded;
}
