import { isCardSeparatorCode } from './card-number-format';

/**
 * Luhn (mod 10) check of a card number. Card separators (space, dash, dot, slash, tab) are
 * ignored; any other non-digit character, or fewer than two digits, makes the value invalid.
 *
 * @example isLuhnValid('4111 1111 1111 1111') // true
 */
export function isLuhnValid(value: string): boolean {
  let sum = 0;
  let digits = 0;
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    if (isCardSeparatorCode(c)) continue;
    if (c < 0x30 || c > 0x39) return false;
    let d = c - 0x30;
    if (digits % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    digits++;
  }
  return digits >= 2 && sum % 10 === 0;
}

/**
 * The Luhn check digit that makes `partial + digit` valid.
 * `partial` must hold digits only.
 */
export function luhnCheckDigit(partial: string): number {
  let sum = 0;
  // Walking from the right of the partial number: the first digit there becomes a doubled one
  // once the check digit is appended.
  for (let i = partial.length - 1, pos = 0; i >= 0; i--, pos++) {
    const c = partial.charCodeAt(i);
    if (c < 0x30 || c > 0x39) throw new RangeError('luhnCheckDigit expects digits only');
    let d = c - 0x30;
    if (pos % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
