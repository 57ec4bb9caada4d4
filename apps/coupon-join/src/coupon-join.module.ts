import { Module } from '@nestjs/common';
import { STREAMS_TOPOLOGY } from '@gmart/nest-streams';
import { CouponJoinService } from './coupon-join.service';
import { CouponQueries } from './coupon-queries';
import { CouponsController } from './coupons.controller';
import { LocalCouponStores } from './local-coupon-stores';

/** The coupon-join service's Nest module: topology provider, local stores, key location and the query endpoint. */
@Module({
  controllers: [CouponsController],
  providers: [
    { provide: LocalCouponStores, useValue: new LocalCouponStores() },
    CouponQueries,
    CouponJoinService,
    { provide: STREAMS_TOPOLOGY, useExisting: CouponJoinService },
  ],
})
export class CouponJoinModule {}
