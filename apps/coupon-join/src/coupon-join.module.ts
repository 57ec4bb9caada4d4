import { Module } from '@nestjs/common';
import { STREAMS_TOPOLOGY } from '@gmart/nest-streams';
import { CouponJoinService } from './coupon-join.service';
import { CouponsController } from './coupons.controller';
import { LocalCouponStores } from './local-coupon-stores';

/** The coupon-join service's Nest module: topology provider, local stores, and the query endpoint. */
@Module({
  controllers: [CouponsController],
  providers: [
    { provide: LocalCouponStores, useValue: new LocalCouponStores() },
    CouponJoinService,
    { provide: STREAMS_TOPOLOGY, useExisting: CouponJoinService },
  ],
})
export class CouponJoinModule {}
