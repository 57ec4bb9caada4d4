import { z } from 'zod';
import { instant, instantInput, requiredText, roundToCents } from './fields';
import { formatIsoInstant } from './iso-instant';
import type { Purchase } from './purchase';

const fields = {
  customerId: requiredText(64),
  itemsPurchased: z.array(requiredText(200)).max(2, 'holds at most 2 items'),
  totalAmount: z.number('must be a number').min(0, 'must not be negative'),
};

/** Schema of a correlated purchase as it arrives (JSON): dates as ISO-8601, epoch ms or null. */
export const CorrelatedPurchaseInputSchema = z.object({
  ...fields,
  firstPurchaseDate: instantInput.nullable(),
  secondPurchaseDate: instantInput.nullable(),
});
/** Schema of a {@link CorrelatedPurchase} in memory. */
export const CorrelatedPurchaseSchema = z.object({
  ...fields,
  firstPurchaseDate: instant.nullable(),
  secondPurchaseDate: instant.nullable(),
});

/**
 * A coffee purchase and an electronics purchase of one customer close in time (the seed's
 * `CorrelatedPurchase`, output of the coupon join). Either side may be missing (outer joins).
 */
export type CorrelatedPurchase = z.infer<typeof CorrelatedPurchaseSchema>;

/** The JSON form of a correlated purchase. */
export type CorrelatedPurchaseJson = Omit<CorrelatedPurchase, 'firstPurchaseDate' | 'secondPurchaseDate'> & {
  firstPurchaseDate: string | null;
  secondPurchaseDate: string | null;
};

/** The fields of a purchase {@link correlatePurchases} reads. */
export type CorrelatablePurchase = Pick<Purchase, 'customerId' | 'itemPurchased' | 'price' | 'purchaseDate'>;

/**
 * The book's `PurchaseJoiner`: customer id of either side, both dates, the items bought, and
 * `totalAmount = price + otherPrice` (unit prices, as in the book), a missing side counting 0.
 */
export function correlatePurchases(
  purchase: CorrelatablePurchase | null,
  otherPurchase: CorrelatablePurchase | null,
): CorrelatedPurchase {
  const customerId = purchase?.customerId ?? otherPurchase?.customerId;
  if (customerId === undefined) throw new TypeError('correlatePurchases needs at least one purchase');
  const items: string[] = [];
  if (purchase) items.push(purchase.itemPurchased);
  if (otherPurchase) items.push(otherPurchase.itemPurchased);
  return {
    customerId,
    firstPurchaseDate: purchase?.purchaseDate ?? null,
    secondPurchaseDate: otherPurchase?.purchaseDate ?? null,
    itemsPurchased: items,
    totalAmount: roundToCents((purchase?.price ?? 0) + (otherPurchase?.price ?? 0)),
  };
}

/** The JSON form of a correlated purchase. */
export function correlatedPurchaseToJson(c: CorrelatedPurchase): CorrelatedPurchaseJson {
  const iso = (ms: number | null) => (ms === null ? null : formatIsoInstant(ms));
  return {
    customerId: c.customerId,
    firstPurchaseDate: iso(c.firstPurchaseDate),
    secondPurchaseDate: iso(c.secondPurchaseDate),
    itemsPurchased: [...c.itemsPurchased],
    totalAmount: c.totalAmount,
  };
}
