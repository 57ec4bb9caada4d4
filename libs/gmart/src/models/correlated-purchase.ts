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
 * Makes a {@link CorrelatedPurchase} of its fields ({@link correlatePurchases}' `make`): a caller
 * that keeps the result in its own form (frozen, or with what it derives from it) makes it so at
 * once instead of copying a plain one. `itemsPurchased` is a new array, exactly as long as it holds.
 */
export type CorrelatedPurchaseMaker<T extends CorrelatedPurchase> = (
  customerId: string,
  firstPurchaseDate: number | null,
  secondPurchaseDate: number | null,
  itemsPurchased: string[],
  totalAmount: number,
) => T;

/** A plain object. */
const plainCorrelatedPurchase: CorrelatedPurchaseMaker<CorrelatedPurchase> = (
  customerId,
  firstPurchaseDate,
  secondPurchaseDate,
  itemsPurchased,
  totalAmount,
) => ({ customerId, firstPurchaseDate, secondPurchaseDate, itemsPurchased, totalAmount });

/**
 * The book's `PurchaseJoiner`: customer id of either side, both dates, the items bought, and
 * `totalAmount = price + otherPrice` (unit prices, as in the book), a missing side counting 0.
 * The result is a plain object, or what `make` makes of its fields.
 */
export function correlatePurchases<T extends CorrelatedPurchase = CorrelatedPurchase>(
  purchase: CorrelatablePurchase | null,
  otherPurchase: CorrelatablePurchase | null,
  make: CorrelatedPurchaseMaker<T> = plainCorrelatedPurchase as CorrelatedPurchaseMaker<T>,
): T {
  const customerId = purchase?.customerId ?? otherPurchase?.customerId;
  if (customerId === undefined) throw new TypeError('correlatePurchases needs at least one purchase');
  // Array literals of the final length (pushing onto [] reserves 17 slots).
  const items: string[] = purchase
    ? otherPurchase
      ? [purchase.itemPurchased, otherPurchase.itemPurchased]
      : [purchase.itemPurchased]
    : [otherPurchase!.itemPurchased];
  return make(
    customerId,
    purchase?.purchaseDate ?? null,
    otherPurchase?.purchaseDate ?? null,
    items,
    roundToCents((purchase?.price ?? 0) + (otherPurchase?.price ?? 0)),
  );
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
