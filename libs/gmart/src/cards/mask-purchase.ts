import type { Purchase } from '../models/purchase';
import { maskCardNumber } from './mask-card-number';

/** The purchase with its card number masked (the book's `maskCreditCard()`); other fields unchanged. */
export function maskPurchase(purchase: Purchase): Purchase {
  return { ...purchase, creditCardNumber: maskCardNumber(purchase.creditCardNumber) };
}
