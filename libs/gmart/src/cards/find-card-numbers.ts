import { isLuhnValid } from './luhn';
import { MAX_CARD_DIGITS, MIN_CARD_DIGITS, isCardSeparator, isDigit } from './card-number-format';
import { maskCardNumber } from './mask-card-number';

/** One card number found in a text by {@link findCardNumbers}. */
export interface CardNumberMatch {
  /** Offset of the first digit in the text. */
  readonly index: number;
  /** Length of the match in the text, separators included. */
  readonly length: number;
  /** The matched text (unmasked: never log it, log {@link CardNumberMatch.masked}). */
  readonly value: string;
  /** The match masked by {@link maskCardNumber}, safe to print. */
  readonly masked: string;
}

/** Options of {@link findCardNumbers}. */
export interface FindCardNumbersOptions {
  /**
   * Report only numbers that pass the Luhn check (default `true`). With `false` every 13-19 digit
   * run is reported, which also catches invalid test numbers but flags epoch-millisecond
   * timestamps too.
   */
  readonly requireLuhn?: boolean;
}

interface DigitGroup {
  readonly start: number;
  readonly end: number; // exclusive
  readonly digits: number;
}

/**
 * Finds card numbers in free text: runs of 13 to 19 digits, optionally split into groups by single
 * separators (space, dash, dot, slash or tab), that pass the Luhn check (unless `requireLuhn` is false).
 *
 * A run of grouped digits longer than 19 digits is searched for any contiguous sequence of whole
 * groups that forms a card number (so `4111 1111 1111 1111 2026` still reports the card); an
 * ungrouped run of more than 19 digits is not a card number. Matches do not overlap; the earliest,
 * then longest, wins.
 */
export function findCardNumbers(text: string, options: FindCardNumbersOptions = {}): CardNumberMatch[] {
  const requireLuhn = options.requireLuhn ?? true;
  const matches: CardNumberMatch[] = [];
  const n = text.length;
  // Most texts (names, ids, dates) hold fewer digits than the shortest card number: no match is
  // possible, and one pass over the character codes says so without building digit groups.
  const min = MIN_CARD_DIGITS;
  let total = 0;
  for (let k = 0; k < n && total < min; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x30 && c <= 0x39) total++;
  }
  if (total < min) return matches;
  let i = 0;
  while (i < n) {
    if (!isDigit(text[i]!) || (i > 0 && isDigit(text[i - 1]!))) {
      i++;
      continue;
    }
    // Collect a maximal run of digit groups joined by single separators.
    const groups: DigitGroup[] = [];
    let j = i;
    for (;;) {
      const start = j;
      while (j < n && isDigit(text[j]!)) j++;
      groups.push({ start, end: j, digits: j - start });
      if (j + 1 < n && isCardSeparator(text[j]!) && isDigit(text[j + 1]!)) {
        j++;
        continue;
      }
      break;
    }
    let g = 0;
    while (g < groups.length) {
      let found: CardNumberMatch | undefined;
      let digits = 0;
      let best = -1;
      for (let h = g; h < groups.length; h++) {
        digits += groups[h]!.digits;
        if (digits > MAX_CARD_DIGITS) break;
        if (digits >= MIN_CARD_DIGITS) {
          const value = text.slice(groups[g]!.start, groups[h]!.end);
          if (!requireLuhn || isLuhnValid(value)) {
            best = h;
            found = { index: groups[g]!.start, length: value.length, value, masked: maskCardNumber(value) };
          }
        }
      }
      if (found) {
        matches.push(found);
        g = best + 1;
      } else {
        g++;
      }
    }
    i = j;
  }
  return matches;
}

/** Whether `text` contains at least one card number (see {@link findCardNumbers}). */
export function containsCardNumber(text: string, options: FindCardNumbersOptions = {}): boolean {
  return findCardNumbers(text, options).length > 0;
}
