import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  InteractiveQueries,
  localQueryFlag,
  rejectUnknownQuery,
  wholeNumberQuery,
  type RawQuery,
} from '@gmart/nest-streams';
import { Serdes, type StreamPartitioner } from '@gmart/streams';
import { type CustomerRewardsView, LocalRewardsStores } from './local-rewards-stores';
import { REWARDS_STORE_NAME } from './rewards-points-store';
import { RewardsStreamPartitioner } from './rewards-stream-partitioner';

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_TOP = 100;

/** The key-to-partition rule of `customer_transactions` (the seed's partitioner, by customer id). */
const customerPartitioner: StreamPartitioner<string, unknown> = {
  partition: (_topic, customerId, _value, numPartitions) =>
    RewardsStreamPartitioner.partitionFor(customerId, numPartitions),
};

/** Queries the reward points held in `rewardsPointsStore`, here or on the instance that owns a customer. */
@Controller('rewards')
export class RewardsController {
  constructor(
    private readonly localStores: LocalRewardsStores,
    private readonly queries: InteractiveQueries,
  ) {}

  /**
   * `GET /rewards?top=N`: the N (default 10, at most 100) customers with the most points among
   * the partitions hosted here, and which partitions those are. 503 with the state unless the
   * streams client is `RUNNING` (the local stores are not queryable and an empty list would be wrong).
   */
  @Get()
  top(@Query() raw: RawQuery): { partitions: number[]; customers: CustomerRewardsView[] } {
    rejectUnknownQuery(raw, ['top']);
    const n = wholeNumberQuery(raw, 'top', 10, 1, MAX_TOP);
    this.queries.requireQueryable('the rewards store');
    return { partitions: this.localStores.partitions(), customers: this.localStores.top(n) };
  }

  /**
   * `GET /rewards/:customerId`: the customer's total points and latest purchase date. The streams
   * client's `queryMetadataForKey` names the instance holding the customer's partition: this one
   * answers from its store, another one is asked (`?local=true`) and its answer passed on. 404 when
   * the owner has no such customer; 503 while the group is rebalancing; 502 when the owner cannot
   * be reached; 503 with the state while this instance's streams client is not `RUNNING` (the
   * store is not queryable). `?local=true` answers from the local stores only.
   */
  @Get(':customerId')
  byCustomer(@Param('customerId') customerId: string, @Query() raw: RawQuery): Promise<CustomerRewardsView> {
    if (!CUSTOMER_ID.test(customerId)) {
      throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
    }
    rejectUnknownQuery(raw, ['local']);
    const localOnly = localQueryFlag(raw);
    return this.queries.routed({
      storeName: REWARDS_STORE_NAME,
      key: customerId,
      keySerializer: Serdes.String().serializer(),
      partitioner: customerPartitioner,
      path: `/rewards/${encodeURIComponent(customerId)}`,
      localOnly,
      local: () => this.localStores.get(customerId),
      notFound: () =>
        new NotFoundException({
          message: `customer ${customerId} has no rewards`,
          partitions: this.localStores.partitions(),
        }),
    });
  }
}
