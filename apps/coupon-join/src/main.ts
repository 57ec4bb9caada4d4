import 'reflect-metadata';
import { cardNumberRedactor } from '@gmart/gmart';
import { runStreamsService } from '@gmart/nest-streams';
import { couponJoinConfig } from './coupon-join.config';
import { CouponJoinModule } from './coupon-join.module';

void runStreamsService({
  module: CouponJoinModule,
  config: couponJoinConfig,
  redactor: cardNumberRedactor,
});
