import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { InteractiveQueries, localQueryFlag, rejectUnknownQuery, type RawQuery } from '@gmart/nest-streams';
import { Serdes } from '@gmart/streams';
import { COUPONS_STORE_NAME } from './coupons-store';
import { type CustomerCouponsView, LocalCouponStores } from './local-coupon-stores';

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Queries the coupons held in the coupons store, here or on the instance that owns a customer. */
@Controller('coupons')
export class CouponsController {
  constructor(
    private readonly localStores: LocalCouponStores,
    private readonly queries: InteractiveQueries,
  ) {}

  /**
   * `GET /coupons/:customerId`: the customer's coupons, latest first. `queryMetadataForKey` names
   * the instance holding the customer's partition (the join's repartition topics are written with
   * the default partitioner, murmur2 of the customer id): this one answers from its store, another
   * one is asked (`?local=true`) and its answer passed on. 400 for a malformed id or `local`; 404
   * when the customer has no coupons; 503 while the group is rebalancing or this instance's
   * streams client is not `RUNNING`; 502 when the owner cannot be reached.
   */
  @Get(':customerId')
  byCustomer(@Param('customerId') customerId: string, @Query() raw: RawQuery): Promise<CustomerCouponsView> {
    if (!CUSTOMER_ID.test(customerId)) {
      throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
    }
    rejectUnknownQuery(raw, ['local']);
    const localOnly = localQueryFlag(raw);
    return this.queries.routed({
      storeName: COUPONS_STORE_NAME,
      key: customerId,
      keySerializer: Serdes.String().serializer(),
      path: `/coupons/${encodeURIComponent(customerId)}`,
      localOnly,
      local: () => this.localStores.get(customerId),
      notFound: () =>
        new NotFoundException({
          message: `customer ${customerId} has no coupons`,
          partitions: this.localStores.partitions(),
        }),
    });
  }
}
