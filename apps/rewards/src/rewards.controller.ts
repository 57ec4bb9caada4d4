import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { type CustomerRewardsView, LocalRewardsStores } from './local-rewards-stores';

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_TOP = 100;

/** Queries the reward points held by this instance's `rewardsPointsStore` partitions. */
@Controller('rewards')
export class RewardsController {
  constructor(private readonly localStores: LocalRewardsStores) {}

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
   * local store; 404 when no partition hosted here holds the customer (the library has no
   * `queryMetadataForKey` yet to find the owning instance).
   */
  @Get(':customerId')
  byCustomer(@Param('customerId') customerId: string): CustomerRewardsView {
    if (!CUSTOMER_ID.test(customerId)) {
      throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
    }
    const found = this.localStores.get(customerId);
    if (!found) {
      throw new NotFoundException({
        message: `customer ${customerId} has no rewards in the partitions hosted by this instance`,
        partitions: this.localStores.partitions(),
      });
    }
    return found;
  }
}
