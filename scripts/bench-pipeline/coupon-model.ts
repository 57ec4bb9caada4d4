import type { Purchase } from '@gmart/gmart';

/** The seed's coupon window: a coffee and an electronics purchase of one customer within 20 minutes. */
const COUPON_WINDOW_MS = 20 * 60_000;

/**
 * Coupons the seed's inner join issues for `purchases` (every coffee/electronics pair of a customer
 * within 20 minutes): the brute-force model bench:pipeline's coupons case and bench:coupon-backlog
 * wait for.
 */
export function couponCount(purchases: readonly Purchase[]): number {
  const byCustomer = new Map<string, { coffee: number[]; electronics: number[] }>();
  for (const p of purchases) {
    if (p.department !== 'coffee' && p.department !== 'electronics') continue;
    const c = byCustomer.get(p.customerId) ?? { coffee: [], electronics: [] };
    c[p.department].push(p.purchaseDate);
    byCustomer.set(p.customerId, c);
  }
  let n = 0;
  for (const { coffee, electronics } of byCustomer.values())
    for (const a of coffee) for (const b of electronics) if (Math.abs(a - b) <= COUPON_WINDOW_MS) n++;
  return n;
}
