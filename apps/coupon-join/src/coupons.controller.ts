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
import { CouponQueries } from './coupon-queries';
import { type CustomerCouponsView, LocalCouponStores } from './local-coupon-stores';

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Queries the coupons held in the coupons store, here or on the instance that owns a customer. */
@Controller('coupons')
export class CouponsController {
  constructor(
    private readonly localStores: LocalCouponStores,
    private readonly queries: CouponQueries,
    @Inject(StreamsStatus) private readonly status: StreamsStatus,
  ) {}

  /** 503 with the streams state unless the client is `RUNNING`: the local stores are not queryable before. */
  private requireQueryable(): void {
    const state = this.status.state;
    if (state !== StreamsStates.RUNNING) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        message: `the coupons store is not queryable while the streams client is ${state}; retry later`,
        state,
      });
    }
  }

  /**
   * `GET /coupons/:customerId`: the customer's coupons, latest first. `queryMetadataForKey` names
   * the instance holding the customer's partition: this one answers from its store, another one is
   * asked (`?local=true`) and its answer passed on. 400 for a malformed id or `local`; 404 when the
   * customer has no coupons; 503 while the group is rebalancing or this instance's streams client is
   * not `RUNNING`; 502 when the owner cannot be reached.
   */
  @Get(':customerId')
  async byCustomer(
    @Param('customerId') customerId: string,
    @Query('local') local?: string,
  ): Promise<CustomerCouponsView> {
    if (!CUSTOMER_ID.test(customerId)) {
      throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
    }
    if (local !== undefined && local !== 'true' && local !== 'false') {
      throw new BadRequestException('local must be true or false');
    }
    if (local === 'true') return this.localOr404(customerId);
    const where = this.queries.locate(customerId);
    if (where.kind === 'unavailable') {
      throw new ServiceUnavailableException('the coupon-join instances are rebalancing; retry shortly');
    }
    if (where.kind === 'local') return this.localOr404(customerId);
    let found: CustomerCouponsView | undefined;
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

  private localOr404(customerId: string): CustomerCouponsView {
    this.requireQueryable();
    const found = this.localStores.get(customerId);
    if (!found) throw this.notFound(customerId);
    return found;
  }

  private notFound(customerId: string): NotFoundException {
    return new NotFoundException({
      message: `customer ${customerId} has no coupons`,
      partitions: this.localStores.partitions(),
    });
  }
}
