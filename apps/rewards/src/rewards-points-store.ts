import { type KeyValueStore, Serdes, type StoreBuilder, Stores } from '@gmart/streams';
import { type CustomerRewards, customerRewardsSerde } from './customer-rewards';

/** Name of the rewards store; also names its changelog `<applicationId>-rewardsPointsStore-changelog`. */
export const REWARDS_STORE_NAME = 'rewardsPointsStore';

/** The rewards store as processors and queries see it: customer id -> {@link CustomerRewards}. */
export type RewardsPointsStore = KeyValueStore<string, CustomerRewards>;

/**
 * Builder of `rewardsPointsStore`: a persistent (LMDB) key-value store, changelog-backed (logging
 * on, compacted), so points survive restarts and move with their partition to another instance.
 * Caching is on, as for Kafka Streams' DSL stores: writes to a customer between two commits are
 * de-duplicated in the task's record cache (`cacheMaxBytesBuffering`), so the changelog gets the
 * latest total per customer per commit instead of one record per purchase; reads see the cache.
 */
export function rewardsPointsStoreBuilder(): StoreBuilder {
  return Stores.keyValueStoreBuilder(
    Stores.persistentKeyValueStore(REWARDS_STORE_NAME),
    Serdes.String(),
    customerRewardsSerde,
  ).withCachingEnabled();
}
