import { type ConfigOf, Env, defineServiceConfig } from '@gmart/nest-streams';

/**
 * Configuration of the rewards service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-rewards`, `HTTP_PORT` = 8083, `DLQ_TOPIC`, `STATE_DIR`, ...) plus its
 * topics `TOPIC_PURCHASES` (`purchases`), `TOPIC_CUSTOMER_TRANSACTIONS` (`customer_transactions`,
 * the repartition topic keyed by customer) and `TOPIC_REWARDS` (`rewards`), and `APPLICATION_SERVER`:
 * `host:port` of this instance's HTTP endpoint as the other instances reach it (Kafka Streams'
 * `application.server`), shared through the consumer group so `GET /rewards/:customerId` can find
 * the instance that holds a customer.
 */
export const rewardsConfig = defineServiceConfig({
  service: 'rewards',
  topics: { PURCHASES: 'purchases', CUSTOMER_TRANSACTIONS: 'customer_transactions', REWARDS: 'rewards' },
  variables: {
    APPLICATION_SERVER: Env.optionalString(
      "host:port of this instance's HTTP endpoint as the other instances reach it (default 127.0.0.1:<listening port>)",
    ).refine((v) => v === undefined || /^[^:\s/]+:\d{1,5}$/.test(v), 'must be host:port'),
  },
});

/** The loaded rewards configuration. */
export type RewardsConfig = ConfigOf<typeof rewardsConfig>;
