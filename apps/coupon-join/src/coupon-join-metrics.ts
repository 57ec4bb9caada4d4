import type { CorrelatedPurchase } from '@gmart/gmart';
import { Counter, type Registry } from 'prom-client';

/** The metrics of each service instance that counts into a counter, by counter. */
const sources = new WeakMap<Counter<'mode' | 'result'>, Set<CouponJoinMetrics>>();

/**
 * The counter's `collect` (prom-client calls it, with the counter as `this`, before every
 * collection: a scrape, `registry.metrics()`, `counter.get()`): adds the counts made since.
 */
function collectPending(this: Counter<'mode' | 'result'>): void {
  for (const m of sources.get(this) ?? []) m.flush();
}

/** The service's own metrics (on the service registry, label `service="coupon-join"`). */
export class CouponJoinMetrics {
  /**
   * `gmart_coupons_issued_total{mode,result}`: join results written to `coupons`; `result` is
   * `matched` (coffee and electronics) or `unmatched` (left/outer: one side only).
   */
  readonly issued: Counter<'mode' | 'result'>;
  /** Results counted and not yet added to {@link issued} (one plain increment per result). */
  private matched = 0;
  private unmatched = 0;

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
        collect: collectPending,
      });
    let mine = sources.get(this.issued);
    if (!mine) sources.set(this.issued, (mine = new Set()));
    mine.add(this);
  }

  /**
   * Counts one join result. It reaches the counter when the counter is next collected (prom-client's
   * `inc` hashes its labels on every call), so every collection sees every result counted before it.
   */
  record(coupon: CorrelatedPurchase): void {
    if (coupon.firstPurchaseDate !== null && coupon.secondPurchaseDate !== null) this.matched++;
    else this.unmatched++;
  }

  /** Adds the results counted since the last collection to the counter. */
  flush(): void {
    if (this.matched > 0) this.issued.inc({ mode: this.mode, result: 'matched' }, this.matched);
    if (this.unmatched > 0) this.issued.inc({ mode: this.mode, result: 'unmatched' }, this.unmatched);
    this.matched = 0;
    this.unmatched = 0;
  }
}
