import { type ConfigOf, Env, defineServiceConfig } from '@gmart/nest-streams';

/**
 * Configuration of the stock-analytics service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-stock-analytics`, `HTTP_PORT` = 8086, `DLQ_TOPIC`, `STATE_DIR`, ...),
 * its topics (`TOPIC_*`, defaults as in deploy/topics.yaml), its own variables and
 * `APPLICATION_SERVER` (interactive queries: this instance's `host:port` for the others).
 */
export const stockAnalyticsConfig = defineServiceConfig({
  service: 'stock-analytics',
  // Money-like results (issue 19): a crash or restart must never double-count them.
  processingGuarantee: 'exactly_once_v2',
  topics: {
    STOCK_TRANSACTIONS: 'stock-transactions',
    STOCK_TICKER_TABLE: 'stock-ticker-table',
    STOCK_TICKER_STREAM: 'stock-ticker-stream',
    STOCK_PERFORMANCE: 'stock-performance',
    SHARE_VOLUME: 'share-volume',
    STOCK_VOLUME_BY_INDUSTRY: 'stock-volume-by-industry',
    TRANSACTION_COUNTS_SESSION: 'transaction-counts-session',
    TRANSACTION_COUNTS_TUMBLING: 'transaction-counts-tumbling',
    TRANSACTION_COUNTS_HOPPING: 'transaction-counts-hopping',
    COMPANIES: 'companies',
    CLIENTS: 'clients',
    TRANSACTION_SUMMARIES: 'transaction-summaries',
  },
  interactiveQueries: true,
  variables: {
    PRINT_TICKER: Env.boolean(
      'print every ticker update with the seed labels (Stocks-KTable, Stocks-KStream)',
      false,
    ),
    CACHE_MAX_BYTES_BUFFERING: Env.optionalInt(
      "record cache of the tables' stores, bytes (Kafka Streams' cache.max.bytes.buffering); 0 emits every KTable update",
      { min: 0, max: 1_073_741_824 },
    ),
    LOG_INTERCEPTORS: Env.boolean(
      "log consumed batches, commits and acknowledgements (the seed's interceptors; positions and sizes, never values)",
      false,
    ),
    PERFORMANCE_THRESHOLD_PERCENT: Env.int(
      'percent a price or volume must move from its 20-sample average to be forwarded to stock-performance',
      { min: 1, max: 100, fallback: 2 },
    ),
    TRANSACTION_COUNTS_GRACE_MS: Env.int(
      'grace period of the customer transaction-count windows and sessions for out-of-order trades, ms',
      { min: 0, max: 3_600_000, fallback: 120_000 },
    ),
    PERFORMANCE_PUNCTUATE_MS: Env.int('wall-clock interval of the stock-performance punctuator, ms', {
      min: 100,
      max: 3_600_000,
      fallback: 10_000,
    }),
  },
});

/** The loaded stock-analytics configuration. */
export type StockAnalyticsConfig = ConfigOf<typeof stockAnalyticsConfig>;
