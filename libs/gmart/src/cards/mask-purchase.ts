import type { Purchase } from '../models/purchase';
import { maskCardNumber } from './mask-card-number';
import { redact, type RedactOptions } from './redact';

const LUHN_ONLY: RedactOptions = Object.freeze({ requireLuhn: true });

/**
 * The purchase with every card number masked (the book's `maskCreditCard()`, extended to every
 * field): `creditCardNumber` keeps its format with only its last 4 digits visible (a value that
 * is not card-shaped is masked entirely, see {@link maskCardNumber}); every other string field has
 * each Luhn-valid 13-19 digit run (with or without separators) masked the same way. Numbers and
 * dates are unchanged; a purchase without card numbers outside `creditCardNumber` is returned
 * with the same field values.
 */
export function maskPurchase(purchase: Purchase): Purchase {
  // A copy with the same fields in the same order (a shallow clone is V8's fast path); only the
  // fields that change are written again.
  const out: Record<string, unknown> = { ...purchase };
  const fields = Object.keys(out);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const v = out[field];
    if (field === 'creditCardNumber') out[field] = maskCardNumber(v);
    else if (typeof v === 'string') {
      const masked = redact(v, LUHN_ONLY);
      if (masked !== v) out[field] = masked;
    }
  }
  return out as Purchase;
}

/**
 * Where a purchase carries a card number in clear (a Luhn-valid 13-19 digit run, any separators):
 * `key` for the record key, else the first such field, or `null` when it is clean. A masked
 * `creditCardNumber` (`xxxx-xxxx-xxxx-1111`) is clean.
 */
export function cardNumberFieldOf(key: string | null, purchase: Purchase): string | null {
  if (key !== null && redact(key, { requireLuhn: true }) !== key) return 'key';
  for (const [field, v] of Object.entries(purchase)) {
    if (typeof v === 'string' && redact(v, { requireLuhn: true }) !== v) return field;
  }
  return null;
}
