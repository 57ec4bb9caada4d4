import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { type CustomerRewardsView, LocalRewardsStores } from './local-rewards-stores';
import { RewardsPeers } from './rewards-peers';

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_TOP = 100;

/** Queries the reward points held by this instance's `rewardsPointsStore` partitions. */
@Controller('rewards')
export class RewardsController {
  constructor(
    private readonly localStores: LocalRewardsStores,
    private readonly peers: RewardsPeers,
  ) {}

  /**
   * `GET /rewards?top=N`: the N (default 10, at most 100) customers with the most points among
   * the partitions hosted here, and which partitions those are.
   */
  @Get()
  top(@Query('top') top?: string): { partitions: number[]; customers: CustomerRewardsView[] } {
    const n = top === undefined ? 10 : Number(top);
    if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) {
      throw new BadRequestException(`top must be a whole number from 1 to ${MAX_TOP}`);
    }
    return { partitions: this.localStores.partitions(), customers: this.localStores.top(n) };
  }

  /**
   * `GET /rewards/:customerId`: the customer's total points and latest purchase date from the
   * local store, else from the first peer in `REWARDS_PEERS` that holds the customer (not with
   * `?local=true`, which is how peers ask); 404 when nobody has it. (`@gmart/streams` has no
   * `queryMetadataForKey` yet to know the owning instance.)
   */
  @Get(':customerId')
  async byCustomer(
    @Param('customerId') customerId: string,
    @Query('local') local?: string,
  ): Promise<CustomerRewardsView> {
    if (!CUSTOMER_ID.test(customerId)) {
      throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
    }
    const found =
      this.localStores.get(customerId) ?? (local === 'true' ? undefined : await this.peers.find(customerId));
    if (!found) {
      throw new NotFoundException({
        message: `customer ${customerId} has no rewards in the partitions hosted by this instance or its peers`,
        partitions: this.localStores.partitions(),
      });
    }
    return found;
  }
}
