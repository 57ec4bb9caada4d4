/**
 * `@gmart/stock-analytics`: the seed's stock-trading chapters (5-7) as a service.
 *
 * @packageDocumentation
 */
export {
  STOCK_PERFORMANCE_STORE,
  stockPerformanceStoreBuilder,
  type StockPerformanceStore,
} from './performance/stock-performance-store';
export {
  StockPerformanceProcessor,
  type StockPerformanceSettings,
} from './performance/stock-performance-processor';
export { punctuateStockPerformance } from './performance/stock-performance-punctuator';
export {
  DEFAULT_DIFFERENTIAL_THRESHOLD,
  DEFAULT_PUNCTUATE_INTERVAL_MS,
  addStockPerformance,
  buildStockPerformanceTopology,
  type StockPerformanceOptions,
} from './performance/stock-performance-topology';
