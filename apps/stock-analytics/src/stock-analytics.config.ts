import { type ConfigOf, Env, defineServiceConfig } from '@gmart/nest-streams';

/**
 * Configuration of the stock-analytics service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-stock-analytics`, `HTTP_PORT` = 8086, `DLQ_TOPIC`, `STATE_DIR`, ...),
 * its topics (`TOPIC_*`, defaults as in deploy/topics.yaml) and its own variables.
 */
export const stockAnalyticsConfig = defineServiceConfig({
  service: 'stock-analytics',
  topics: {
    STOCK_TRANSACTIONS: 'stock-transactions',
    STOCK_TICKER_STREAM: 'stock-ticker-stream',
    STOCK_PERFORMANCE: 'stock-performance',
  },
  variables: {
    APPLICATION_SERVER: Env.optionalString(
      "host:port of this instance's HTTP endpoint as the other instances reach it (default 127.0.0.1:<listening port>)",
    ).refine((v) => v === undefined || /^[^:\s/]+:\d{1,5}$/.test(v), 'must be host:port'),
    PRINT_TICKER: Env.boolean('print every ticker update with the seed labels (Stocks-KStream)', false),
    LOG_INTERCEPTORS: Env.boolean(
      "log consumed batches, commits and acknowledgements (the seed's interceptors; positions and sizes, never values)",
      false,
    ),
    PERFORMANCE_THRESHOLD_PERCENT: Env.int(
      'percent a price or volume must move from its 20-sample average to be forwarded to stock-performance',
      { min: 1, max: 100, fallback: 2 },
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
