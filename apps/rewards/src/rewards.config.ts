import { type ConfigOf, Env, defineServiceConfig } from '@gmart/nest-streams';

/**
 * Configuration of the rewards service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-rewards`, `HTTP_PORT` = 8083, `DLQ_TOPIC`, `STATE_DIR`, ...) plus its
 * topics `TOPIC_PURCHASES` (`purchases`), `TOPIC_CUSTOMER_TRANSACTIONS` (`customer_transactions`,
 * the repartition topic keyed by customer) and `TOPIC_REWARDS` (`rewards`), and `REWARDS_PEERS`:
 * base URLs of the other rewards instances, asked by `GET /rewards/:customerId` when no local
 * partition holds the customer.
 */
export const rewardsConfig = defineServiceConfig({
  service: 'rewards',
  topics: { PURCHASES: 'purchases', CUSTOMER_TRANSACTIONS: 'customer_transactions', REWARDS: 'rewards' },
  variables: {
    REWARDS_PEERS: Env.optionalString(
      'comma-separated base URLs (http://host:port) of the other rewards instances, asked when a customer is not in a local partition',
    ),
  },
});

/** The loaded rewards configuration. */
export type RewardsConfig = ConfigOf<typeof rewardsConfig>;
