import { MAX_CARD_DIGITS, MIN_CARD_DIGITS, isCardSeparatorCode } from './card-number-format';

/** What {@link maskCardNumber} returns for a value that is not a card number. */
export const FULLY_MASKED = 'xxxx';

const MASK = 'x';
const X_CODE = 0x78; // 'x'
const UPPER_X_CODE = 0x58; // 'X'

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
  for (let i = 0; i < card.length; i++) {
    const c = card.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || c === X_CODE || c === UPPER_X_CODE) {
      digitsOrMasks++;
      previousWasSeparator = false;
    } else if (isCardSeparatorCode(c)) {
      if (previousWasSeparator) return FULLY_MASKED; // doubled or leading separator
      previousWasSeparator = true;
    } else {
      return FULLY_MASKED;
    }
  }
  if (previousWasSeparator) return FULLY_MASKED; // trailing separator
  if (digitsOrMasks < MIN_CARD_DIGITS || digitsOrMasks > MAX_CARD_DIGITS) return FULLY_MASKED;

  // The last 4 positions must be real digits; everything before them becomes `x`.
  let fromEnd = 0;
  let i = card.length - 1;
  for (; i >= 0 && fromEnd < 4; i--) {
    const c = card.charCodeAt(i);
    if (isCardSeparatorCode(c)) continue;
    if (c < 0x30 || c > 0x39) return FULLY_MASKED;
    fromEnd++;
  }
  // card[i + 1 ..] holds the 4 visible digits (and separators among them); before that, every
  // digit or mask is `x` and every separator stays.
  const tail = card.slice(i + 1);
  let head = '';
  for (let k = 0; k <= i; k++) {
    const c = card.charCodeAt(k);
    head += isCardSeparatorCode(c) ? card[k] : MASK;
  }
  return head + tail;
}
