import { type CorrelatedPurchase, type CorrelatedPurchaseJson, correlatedPurchaseToJson } from '@gmart/gmart';
import { type Deserializer, SerializationError, type Serde, type Serializer } from '@gmart/streams';

/** What the coupons store keeps per customer id: the customer's coupons, latest first. */
export type CouponHistory = readonly CorrelatedPurchase[];

/** Event time of a coupon: the later of its two purchases (the join result's timestamp). */
export function couponTime(c: CorrelatedPurchase): number {
  return Math.max(c.firstPurchaseDate ?? -Infinity, c.secondPurchaseDate ?? -Infinity);
}

/** Identity of a coupon: a replayed join result (at-least-once) has the same one. */
export function sameCoupon(a: CorrelatedPurchase, b: CorrelatedPurchase): boolean {
  return (
    a.customerId === b.customerId &&
    a.firstPurchaseDate === b.firstPurchaseDate &&
    a.secondPurchaseDate === b.secondPurchaseDate &&
    a.totalAmount === b.totalAmount &&
    a.itemsPurchased.length === b.itemsPurchased.length &&
    a.itemsPurchased.every((item, i) => item === b.itemsPurchased[i])
  );
}

/**
 * `history` with `coupon` added in its place (latest first; equal times keep arrival order, newer
 * first), at most `limit` entries. A coupon already held is not added twice, so a join result
 * replayed after a crash leaves the history as it was.
 */
export function addCoupon(history: CouponHistory, coupon: CorrelatedPurchase, limit: number): CouponHistory {
  if (history.some((c) => sameCoupon(c, coupon))) return history;
  const t = couponTime(coupon);
  const at = history.findIndex((c) => couponTime(c) <= t);
  const next = at < 0 ? [...history, coupon] : [...history.slice(0, at), coupon, ...history.slice(at)];
  return next.slice(0, limit);
}

const serializer: Serializer<CouponHistory> = {
  serialize: (_topic, data) =>
    data == null ? null : Buffer.from(JSON.stringify(data.map(correlatedPurchaseToJson)), 'utf8'),
};

function instant(topic: string, v: unknown): number | null {
  if (v === null) return null;
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms))
    throw new SerializationError(`coupon history on topic "${topic}" has an invalid date`);
  return ms;
}

/**
 * Reads what {@link serializer} wrote (the store's own changelog): the structure is checked, not
 * every field's range again (each coupon was validated when it was issued).
 */
const deserializer: Deserializer<CouponHistory> = {
  deserialize: (topic, data) => {
    if (data == null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      throw new SerializationError(`coupon history on topic "${topic}" is not valid JSON`);
    }
    if (!Array.isArray(parsed))
      throw new SerializationError(`coupon history on topic "${topic}" must be an array`);
    return parsed.map((raw: Partial<CorrelatedPurchaseJson> | null) => {
      if (
        !raw ||
        typeof raw.customerId !== 'string' ||
        !Array.isArray(raw.itemsPurchased) ||
        typeof raw.totalAmount !== 'number'
      )
        throw new SerializationError(`coupon history on topic "${topic}" holds an invalid coupon`);
      return {
        customerId: raw.customerId,
        firstPurchaseDate: instant(topic, raw.firstPurchaseDate ?? null),
        secondPurchaseDate: instant(topic, raw.secondPurchaseDate ?? null),
        itemsPurchased: raw.itemsPurchased.map(String),
        totalAmount: raw.totalAmount,
      };
    });
  },
};

/** JSON serde of {@link CouponHistory} (changelog values of the coupons store). */
export const couponHistorySerde: Serde<CouponHistory> = {
  serializer: () => serializer,
  deserializer: () => deserializer,
};
