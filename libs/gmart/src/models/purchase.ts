import { z } from 'zod';
import { instant, instantInput, requiredText } from './fields';
import { formatIsoInstant } from './iso-instant';

/** Bounds that make a purchase plausible; anything outside is rejected as absurd. */
export const PURCHASE_LIMITS = Object.freeze({
  /** Largest quantity in one purchase line. */
  maxQuantity: 10_000,
  /** Largest unit price. */
  maxPrice: 1_000_000,
  /** Longest value of each text field, in characters. */
  textLength: Object.freeze({
    firstName: 100,
    lastName: 100,
    customerId: 64,
    creditCardNumber: 40,
    itemPurchased: 200,
    department: 100,
    employeeId: 64,
    zipCode: 20,
    storeId: 64,
  }),
});
const TEXT = PURCHASE_LIMITS.textLength;

const fields = {
  firstName: requiredText(TEXT.firstName),
  lastName: requiredText(TEXT.lastName),
  customerId: requiredText(TEXT.customerId),
  creditCardNumber: requiredText(TEXT.creditCardNumber),
  itemPurchased: requiredText(TEXT.itemPurchased),
  department: requiredText(TEXT.department),
  employeeId: requiredText(TEXT.employeeId),
  quantity: z
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(PURCHASE_LIMITS.maxQuantity, `is absurd: more than ${PURCHASE_LIMITS.maxQuantity}`),
  price: z
    .number('must be a number')
    .min(0, 'must not be negative')
    .max(PURCHASE_LIMITS.maxPrice, `is absurd: more than ${PURCHASE_LIMITS.maxPrice}`),
  zipCode: requiredText(TEXT.zipCode),
  storeId: requiredText(TEXT.storeId),
};

/**
 * Schema of a purchase as it arrives (JSON): `purchaseDate` is an ISO-8601 string or epoch
 * milliseconds; the result has it in epoch milliseconds.
 */
export const PurchaseInputSchema = z.object({ ...fields, purchaseDate: instantInput });

/** Schema of a {@link Purchase} in memory (`purchaseDate` in epoch milliseconds). */
export const PurchaseSchema = z.object({ ...fields, purchaseDate: instant });

/**
 * One purchase at a G-Mart store (the seed's `Purchase`). `creditCardNumber` is unmasked only on
 * the `transactions` topic; `purchaseDate` is the event time in epoch milliseconds.
 */
export type Purchase = z.infer<typeof PurchaseSchema>;

/** A purchase as written to JSON: `purchaseDate` as an ISO-8601 UTC string. */
export type PurchaseJson = Omit<Purchase, 'purchaseDate'> & { purchaseDate: string };

/** The JSON form of a purchase (field order as in the seed). */
export function purchaseToJson(p: Purchase): PurchaseJson {
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    customerId: p.customerId,
    creditCardNumber: p.creditCardNumber,
    itemPurchased: p.itemPurchased,
    department: p.department,
    employeeId: p.employeeId,
    quantity: p.quantity,
    price: p.price,
    purchaseDate: formatIsoInstant(p.purchaseDate),
    zipCode: p.zipCode,
    storeId: p.storeId,
  };
}
