import type { CorrelatedPurchase } from '@gmart/gmart';
import { Registry } from 'prom-client';
import { CouponJoinMetrics } from '../src/coupon-join-metrics';

const coupon = (first: number | null, second: number | null): CorrelatedPurchase => ({
  customerId: 'c1',
  firstPurchaseDate: first,
  secondPurchaseDate: second,
  itemsPurchased: ['latte'],
  totalAmount: 4,
});

async function counts(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('gmart_coupons_issued_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [`${v.labels.mode}/${v.labels.result}`, v.value]));
}

describe('CouponJoinMetrics', () => {
  it('every collection sees every result recorded before it, per mode and result', async () => {
    const registry = new Registry();
    const outer = new CouponJoinMetrics(registry, 'outer');
    for (let i = 0; i < 3; i++) outer.record(coupon(1, 2));
    outer.record(coupon(1, null));
    outer.record(coupon(null, 2));
    expect(await counts(registry)).toEqual({ 'outer/matched': 3, 'outer/unmatched': 2 });
    // A second instance on the same registry (a rebuilt topology) adds to the same counter.
    const inner = new CouponJoinMetrics(registry, 'inner');
    inner.record(coupon(1, 2));
    outer.record(coupon(5, 6));
    expect(await counts(registry)).toEqual({ 'outer/matched': 4, 'outer/unmatched': 2, 'inner/matched': 1 });
    expect(await registry.metrics()).toContain('gmart_coupons_issued_total{mode="inner",result="matched"} 1');
    // Nothing new: the same counts.
    expect(await counts(registry)).toEqual({ 'outer/matched': 4, 'outer/unmatched': 2, 'inner/matched': 1 });
  });
});
