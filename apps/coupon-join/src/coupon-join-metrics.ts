import type { CorrelatedPurchase } from '@gmart/gmart';
import { Counter, type Registry } from 'prom-client';

/** The service's own metrics (on the service registry, label `service="coupon-join"`). */
export class CouponJoinMetrics {
  /**
   * `gmart_coupons_issued_total{mode,result}`: join results written to `coupons`; `result` is
   * `matched` (coffee and electronics) or `unmatched` (left/outer: one side only).
   */
  readonly issued: Counter<'mode' | 'result'>;

  constructor(
    registry: Registry,
    private readonly mode: string,
  ) {
    this.issued =
      (registry.getSingleMetric('gmart_coupons_issued_total') as Counter<'mode' | 'result'> | undefined) ??
      new Counter({
        name: 'gmart_coupons_issued_total',
        help: 'Join results written to coupons (result="matched": both purchases; "unmatched": one side, left/outer joins)',
        labelNames: ['mode', 'result'],
        registers: [registry],
      });
  }

  /** Counts one join result. */
  record(coupon: CorrelatedPurchase): void {
    const matched = coupon.firstPurchaseDate !== null && coupon.secondPurchaseDate !== null;
    this.issued.inc({ mode: this.mode, result: matched ? 'matched' : 'unmatched' });
  }
}
