import { z } from 'zod';
import { instant, instantInput, requiredText, roundToCents } from './fields';
import { formatIsoInstant } from './iso-instant';
import type { Purchase } from './purchase';

const fields = {
  zipCode: requiredText(20),
  item: requiredText(200),
  amount: z.number('must be a number').min(0, 'must not be negative'),
};

/** Schema of a purchase pattern as it arrives (JSON); `date` as ISO-8601 or epoch milliseconds. */
export const PurchasePatternInputSchema = z.object({ ...fields, date: instantInput });
/** Schema of a {@link PurchasePattern} in memory. */
export const PurchasePatternSchema = z.object({ ...fields, date: instant });

/** What was bought where and when, for pattern analysis (the seed's `PurchasePattern`). */
export type PurchasePattern = z.infer<typeof PurchasePatternSchema>;

/** The JSON form of a purchase pattern. */
export type PurchasePatternJson = Omit<PurchasePattern, 'date'> & { date: string };

/** Builds the pattern of a purchase: `amount` is `price x quantity`, rounded to cents. */
export function purchasePatternOf(purchase: Purchase): PurchasePattern {
  return {
    zipCode: purchase.zipCode,
    item: purchase.itemPurchased,
    date: purchase.purchaseDate,
    amount: roundToCents(purchase.price * purchase.quantity),
  };
}

/** The JSON form of a pattern. */
export function purchasePatternToJson(p: PurchasePattern): PurchasePatternJson {
  return { zipCode: p.zipCode, item: p.item, date: formatIsoInstant(p.date), amount: p.amount };
}
