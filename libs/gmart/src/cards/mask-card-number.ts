import { MAX_CARD_DIGITS, MIN_CARD_DIGITS, isCardSeparator, isDigit } from './card-number-format';

/** What {@link maskCardNumber} returns for a value that is not a card number. */
export const FULLY_MASKED = 'xxxx';

const MASK = 'x';

/**
 * Masks a card number so that only its last 4 digits stay visible, keeping separators where
 * they were: `1234-5678-9012-1122` -> `xxxx-xxxx-xxxx-1122`, `4111 1111 1111 1111` ->
 * `xxxx xxxx xxxx 1111`, `4111111111111111` -> `xxxxxxxxxxxx1111`.
 *
 * A card number is 13 to 19 digits, optionally separated by single card separators (space, dash,
 * dot, slash, tab), with
 * surrounding whitespace ignored. The check is by shape, not by Luhn: an invalid card number is
 * masked all the same. An already masked value (`x` in place of digits, last 4 digits visible)
 * is returned unchanged, so masking is idempotent. Anything else (empty, too short or too long,
 * letters, doubled separators, `null`/`undefined`, non-strings) is masked entirely: the result is
 * {@link FULLY_MASKED}, which reveals neither the value nor its length.
 */
export function maskCardNumber(value: unknown): string {
  if (typeof value !== 'string') return FULLY_MASKED;
  const card = value.trim();
  if (card.length === 0) return FULLY_MASKED;
  let digitsOrMasks = 0;
  let previousWasSeparator = true; // no leading separator
  for (const c of card) {
    if (isDigit(c) || c === MASK || c === 'X') {
      digitsOrMasks++;
      previousWasSeparator = false;
    } else if (isCardSeparator(c)) {
      if (previousWasSeparator) return FULLY_MASKED; // doubled or leading separator
      previousWasSeparator = true;
    } else {
      return FULLY_MASKED;
    }
  }
  if (previousWasSeparator) return FULLY_MASKED; // trailing separator
  if (digitsOrMasks < MIN_CARD_DIGITS || digitsOrMasks > MAX_CARD_DIGITS) return FULLY_MASKED;

  // The last 4 positions must be real digits; everything before them becomes `x`.
  const out: string[] = [];
  let fromEnd = 0;
  for (let i = card.length - 1; i >= 0; i--) {
    const c = card[i]!;
    if (isCardSeparator(c)) {
      out.push(c);
      continue;
    }
    if (fromEnd < 4) {
      if (!isDigit(c)) return FULLY_MASKED;
      out.push(c);
    } else {
      out.push(MASK);
    }
    fromEnd++;
  }
  return out.reverse().join('');
}
