/**
 * `@gmart/coupon-join`: the seed's coupon program (chapter 4) as a service: `purchases` ->
 * `coffee` / `electronics` -> 20-minute windowed join -> `coupons`, plus `GET /coupons/:customerId`.
 *
 * @packageDocumentation
 */
export { couponJoinConfig, type CouponJoinConfig, JOIN_MODES, type JoinMode } from './coupon-join.config';
export {
  buildCouponJoinTopology,
  COUPON_JOIN_NAME,
  SEED_COUPON_JOIN,
  type CouponJoinOptions,
  type CouponJoinTopics,
} from './coupon-join-topology';
export { purchaseJoiner } from './purchase-joiner';
export { type CouponHistory, addCoupon, couponHistorySerde, couponTime, sameCoupon } from './coupon-history';
export { COUPONS_STORE_NAME, couponsStoreBuilder, type CouponsStore } from './coupons-store';
export { LocalCouponStores, type CustomerCouponsView } from './local-coupon-stores';
export { CouponRecorder } from './coupon-recorder';
export { CouponJoinMetrics } from './coupon-join-metrics';
export { CouponsController } from './coupons.controller';
export { CouponJoinService } from './coupon-join.service';
export { CouponJoinModule } from './coupon-join.module';
