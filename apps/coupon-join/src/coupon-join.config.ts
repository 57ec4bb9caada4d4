import { type ConfigOf, Env, defineServiceConfig } from '@gmart/nest-streams';

/** The seed's three variants of the coupon join. */
export const JOIN_MODES = ['inner', 'left', 'outer'] as const;
/** `inner` (`join`), `left` (`leftJoin`) or `outer` (`outerJoin`). */
export type JoinMode = (typeof JOIN_MODES)[number];

/**
 * Configuration of the coupon-join service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-coupon-join`, `HTTP_PORT` = 8085, `DLQ_TOPIC`, `STATE_DIR`, ...), its
 * topics `TOPIC_PURCHASES` (`purchases`, the masked purchases), `TOPIC_COFFEE` (`coffee`),
 * `TOPIC_ELECTRONICS` (`electronics`) and `TOPIC_COUPONS` (`coupons`), the join's own variables,
 * and `APPLICATION_SERVER` (interactive queries: this instance's `host:port` for the others).
 */
export const couponJoinConfig = defineServiceConfig({
  service: 'coupon-join',
  // Money-like results (issue 19): a crash or restart must never double-count them.
  processingGuarantee: 'exactly_once_v2',
  topics: { PURCHASES: 'purchases', COFFEE: 'coffee', ELECTRONICS: 'electronics', COUPONS: 'coupons' },
  variables: {
    JOIN_MODE: Env.oneOf(
      'inner (coupons for matched pairs only), left (also unmatched coffee purchases) or outer (also unmatched electronics purchases)',
      JOIN_MODES,
      'inner',
    ),
    JOIN_WINDOW_MS: Env.int('greatest time difference between the coffee and the electronics purchase, ms', {
      min: 1000,
      max: 86_400_000,
      fallback: 20 * 60_000,
    }),
    JOIN_GRACE_MS: Env.int(
      'how late (behind stream time) a purchase may arrive and still join; left/outer emit unmatched purchases after window + grace, ms',
      { min: 0, max: 604_800_000, fallback: 60_000 },
    ),
    COUPON_HISTORY_LIMIT: Env.int('coupons kept per customer for GET /coupons/:customerId (latest first)', {
      min: 1,
      max: 1000,
      fallback: 50,
    }),
  },
  interactiveQueries: true,
});

/** The loaded coupon-join configuration. */
export type CouponJoinConfig = ConfigOf<typeof couponJoinConfig>;
