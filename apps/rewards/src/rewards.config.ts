import { type ConfigOf, defineServiceConfig } from '@gmart/nest-streams';

/**
 * Configuration of the rewards service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-rewards`, `HTTP_PORT` = 8083, `DLQ_TOPIC`, `STATE_DIR`, ...) plus its
 * topics `TOPIC_PURCHASES` (`purchases`), `TOPIC_CUSTOMER_TRANSACTIONS` (`customer_transactions`,
 * the repartition topic keyed by customer) and `TOPIC_REWARDS` (`rewards`); with interactive
 * queries on, `APPLICATION_SERVER`: `host:port` of this instance's HTTP endpoint as the other
 * instances reach it (Kafka Streams' `application.server`), shared through the consumer group so
 * `GET /rewards/:customerId` can find the instance that holds a customer.
 */
export const rewardsConfig = defineServiceConfig({
  service: 'rewards',
  // Money-like results (issue 19): a crash or restart must never double-count them.
  processingGuarantee: 'exactly_once_v2',
  topics: { PURCHASES: 'purchases', CUSTOMER_TRANSACTIONS: 'customer_transactions', REWARDS: 'rewards' },
  interactiveQueries: true,
});

/** The loaded rewards configuration. */
export type RewardsConfig = ConfigOf<typeof rewardsConfig>;
