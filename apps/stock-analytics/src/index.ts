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
export { stockPerformanceStoreSerde } from './performance/stock-performance-store-serde';
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
export { stockAnalyticsConfig, type StockAnalyticsConfig } from './stock-analytics.config';
export {
  buildStockAnalyticsTopology,
  type StockAnalyticsTopics,
  type StockAnalyticsOptions,
} from './stock-analytics-topology';
export { StockAnalyticsMetrics } from './stock-analytics-metrics';
export { stockAnalyticsRuntime } from './stock-analytics-runtime';
export { StocksController, type StockPerformanceView } from './stocks.controller';
export { StockAnalyticsService } from './stock-analytics.service';
export { StockAnalyticsModule } from './stock-analytics.module';
export {
  FixedSizePriorityQueue,
  TOP_N,
  fixedSizePriorityQueueSerde,
  industryTopSerde,
  IndustryTopSchema,
  type IndustryTop,
} from './volume/fixed-size-priority-queue';
export {
  INDUSTRY_TOP_STORE,
  SHARE_VOLUME_STORE,
  addShareVolume,
  type ShareVolumeTopics,
} from './volume/share-volume-topology';
export { STOCK_TICKER_STORE } from './stock-analytics-topology';
export { VolumeController } from './volume.controller';
export {
  DEFAULT_TRANSACTION_COUNTS_GRACE_MS,
  TRANSACTION_COUNTS_RETENTION_MS,
  TRANSACTION_COUNT_STORES,
  TRANSACTION_WINDOWS,
  addTransactionCounts,
  type TransactionCountTopics,
} from './counts/transaction-counts-topology';
export { type TransactionCount, splitSummaryKey, transactionCountOf } from './counts/transaction-count';
export { customerPartition, customerPartitioner } from './counts/customer-partitioner';
export { COUNTED_TRADE, type CountedTrade, countedTradeSerde } from './counts/counted-trade';
export {
  REFERENCE_STORES,
  UNKNOWN_INDUSTRY,
  addTransactionSummaries,
  type TransactionSummaryTopics,
} from './counts/transaction-summaries-topology';
export {
  CustomersController,
  type CustomerTransactionCounts,
  type WindowedCountView,
} from './customers.controller';
