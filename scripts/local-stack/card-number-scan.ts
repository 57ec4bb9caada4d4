import { findCardNumbers } from '@gmart/gmart';

/** A card number found by {@link scanForCardNumbers}: where, and its masked form (never the number). */
export interface CardNumberFinding {
  readonly index: number;
  readonly masked: string;
}

/**
 * Every Luhn-valid 13-19 digit number in `text` (grouped by single spaces or dashes or not), as
 * `@gmart/gmart`'s `findCardNumbers` finds them, except the fraction digits of a decimal number
 * (`0.06656455199955964` in a Prometheus sample), which are not card numbers.
 */
export function scanForCardNumbers(text: string): CardNumberFinding[] {
  return findCardNumbers(text)
    .filter((m) => !(m.index >= 2 && text[m.index - 1] === '.' && /\d/.test(text[m.index - 2]!)))
    .map((m) => ({ index: m.index, masked: m.masked }));
}
