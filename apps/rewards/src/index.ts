/**
 * `@gmart/rewards`: the G-Mart rewards service (`purchases` -> `customer_transactions` ->
 * `rewardsPointsStore` -> `rewards`, plus `GET /rewards/:customerId`).
 *
 * @packageDocumentation
 */
export { rewardsConfig, type RewardsConfig } from './rewards.config';
export { buildRewardsTopology, type RewardsTopics } from './rewards-topology';
export { RewardsStreamPartitioner, javaStringHashCode } from './rewards-stream-partitioner';
export { PurchaseRewardTransformer } from './purchase-reward-transformer';
export {
  REPARTITIONED_PURCHASE_HEADER,
  REPARTITIONED_PURCHASE_V1,
  repartitionedPurchaseSerde,
} from './repartitioned-purchase-serde';
export { rewardsPurchaseSerde, type RewardsPurchase, type PurchaseAmounts } from './rewards-purchase-serde';
export {
  REWARDS_STORE_NAME,
  rewardsPointsStoreBuilder,
  type RewardsPointsStore,
} from './rewards-points-store';
export { type CustomerRewards, customerRewardsSerde } from './customer-rewards';
export { LocalRewardsStores, type CustomerRewardsView } from './local-rewards-stores';
export { RewardsController } from './rewards.controller';
export { RewardsService } from './rewards.service';
export { RewardsModule } from './rewards.module';
