import { type ConfigOf, defineServiceConfig } from '@gmart/nest-streams';

/**
 * Configuration of the patterns service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-patterns`, `HTTP_PORT` = 8082, `DLQ_TOPIC`, ...) plus its topics
 * `TOPIC_PURCHASES` (default `purchases`) and `TOPIC_PATTERNS` (default `patterns`).
 */
export const patternsConfig = defineServiceConfig({
  service: 'patterns',
  topics: { PURCHASES: 'purchases', PATTERNS: 'patterns' },
});

/** The loaded patterns configuration. */
export type PatternsConfig = ConfigOf<typeof patternsConfig>;
