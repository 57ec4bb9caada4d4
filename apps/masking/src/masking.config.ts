import { type ConfigOf, defineServiceConfig } from '@gmart/nest-streams';

/**
 * Configuration of the masking service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-masking`, `HTTP_PORT` = 8081, `DLQ_TOPIC`, ...) plus its topics
 * `TOPIC_TRANSACTIONS` (default `transactions`) and `TOPIC_PURCHASES` (default `purchases`).
 */
export const maskingConfig = defineServiceConfig({
  service: 'masking',
  topics: { TRANSACTIONS: 'transactions', PURCHASES: 'purchases' },
});

/** The loaded masking configuration. */
export type MaskingConfig = ConfigOf<typeof maskingConfig>;
