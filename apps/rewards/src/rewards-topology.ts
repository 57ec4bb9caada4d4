import { GmartSerdes } from '@gmart/gmart';
import { Consumed, Named, Produced, type Serde, Serdes, StreamsBuilder, type Topology } from '@gmart/streams';
import type { LocalRewardsStores } from './local-rewards-stores';
import { PurchaseRewardTransformer } from './purchase-reward-transformer';
import { REWARDS_STORE_NAME, rewardsPointsStoreBuilder } from './rewards-points-store';
import { repartitionedPurchaseSerde } from './repartitioned-purchase-serde';
import { RewardsStreamPartitioner } from './rewards-stream-partitioner';
import { type PurchaseAmounts, type RewardsPurchase, rewardsPurchaseSerde } from './rewards-purchase-serde';

/** Topic names the rewards topology reads and writes. */
export interface RewardsTopics {
  /** Masked purchases (`purchases`). */
  readonly PURCHASES: string;
  /** Purchases keyed and partitioned by customer id (`customer_transactions`). */
  readonly CUSTOMER_TRANSACTIONS: string;
  /** Reward accumulators keyed by customer id (`rewards`). */
  readonly REWARDS: string;
}

/**
 * The seed's rewards node: `purchases` -> key by customer id -> through `customer_transactions`
 * (in {@link repartitionedPurchaseSerde}'s compact form) with the {@link RewardsStreamPartitioner}
 * (all of a customer's purchases in one partition, so in one task and one store) -> `transformValues` with the {@link PurchaseRewardTransformer} and
 * `rewardsPointsStore` -> `rewards`.
 *
 * `localStores`, when given, learns the store of every task this instance runs (for
 * `GET /rewards/:customerId`).
 */
export function buildRewardsTopology(topics: RewardsTopics, localStores?: LocalRewardsStores): Topology {
  const builder = new StreamsBuilder();
  builder.addStateStore(rewardsPointsStoreBuilder());
  // Purchases are validated when read from either topic. The repartition topic carries what the
  // transformer uses of a purchase (customer id, quantity, price, date) in a compact binary form,
  // not the whole purchase (repartitionedPurchaseSerde; it still reads purchases in JSON). A null
  // value (tombstone) on either topic is bad input: dead-letter topic with the reason.
  // Read as what the topology uses of a purchase (a read purchase is one; a source never writes).
  const purchases = rewardsPurchaseSerde() as Serde<RewardsPurchase> as unknown as Serde<PurchaseAmounts>;
  builder
    .stream(topics.PURCHASES, Consumed.with(Serdes.String(), purchases))
    .selectKey((_key, purchase) => purchase.customerId, Named.as('key-by-customer'))
    .through(
      topics.CUSTOMER_TRANSACTIONS,
      Produced.with<string, PurchaseAmounts>(
        Serdes.String(),
        repartitionedPurchaseSerde(),
        new RewardsStreamPartitioner(),
      ),
    )
    .transformValues(() => new PurchaseRewardTransformer(REWARDS_STORE_NAME, localStores), REWARDS_STORE_NAME)
    // The accumulator is built from a validated purchase and a total the store's serde checked
    // (a whole number >= 0): it is written without a second check.
    .to(
      topics.REWARDS,
      Produced.with(Serdes.String(), GmartSerdes.RewardAccumulator({ validateOnSerialize: false })),
    );
  return builder.build();
}
