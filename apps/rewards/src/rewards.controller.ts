import {
  BadGatewayException,
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { StreamsStates, StreamsStatus } from '@gmart/nest-streams';
import { type CustomerRewardsView, LocalRewardsStores } from './local-rewards-stores';
import { RewardsQueries } from './rewards-queries';

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_TOP = 100;

/** Queries the reward points held in `rewardsPointsStore`, here or on the instance that owns a customer. */
@Controller('rewards')
export class RewardsController {
  constructor(
    private readonly localStores: LocalRewardsStores,
    private readonly queries: RewardsQueries,
    @Inject(StreamsStatus) private readonly status: StreamsStatus,
  ) {}

  /**
   * 503 with the streams state unless the client is `RUNNING`: before that (or in `ERROR`, or
   * once closed) the local stores are not queryable and an empty answer would be a wrong one.
   */
  private requireQueryable(): void {
    const state = this.status.state;
    if (state !== StreamsStates.RUNNING) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        message: `the rewards store is not queryable while the streams client is ${state}; retry later`,
        state,
      });
    }
  }

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
    this.requireQueryable();
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
  async byCustomer(
    @Param('customerId') customerId: string,
    @Query('local') local?: string,
  ): Promise<CustomerRewardsView> {
    if (!CUSTOMER_ID.test(customerId)) {
      throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
    }
    if (local === 'true') return this.localOr404(customerId);
    const where = this.queries.locate(customerId);
    if (where.kind === 'unavailable') {
      throw new ServiceUnavailableException('the rewards instances are rebalancing; retry shortly');
    }
    if (where.kind === 'local') return this.localOr404(customerId);
    let found: CustomerRewardsView | undefined;
    try {
      found = await this.queries.fetchRemote(where.host, customerId);
    } catch (err) {
      throw new BadGatewayException(
        `the instance holding customer ${customerId} (${where.host.host}:${where.host.port}) did not answer: ${(err as Error).message}`,
      );
    }
    if (!found) throw this.notFound(customerId);
    return found;
  }

  private localOr404(customerId: string): CustomerRewardsView {
    this.requireQueryable();
    const found = this.localStores.get(customerId);
    if (!found) throw this.notFound(customerId);
    return found;
  }

  private notFound(customerId: string): NotFoundException {
    return new NotFoundException({
      message: `customer ${customerId} has no rewards`,
      partitions: this.localStores.partitions(),
    });
  }
}
