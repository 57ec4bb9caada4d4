/** Fewest digits in a payment card number (ISO/IEC 7812). */
export const MIN_CARD_DIGITS = 13;
/** Most digits in a payment card number (ISO/IEC 7812). */
export const MAX_CARD_DIGITS = 19;

/** Whether `c` is a separator allowed between card digit groups. */
export function isCardSeparator(c: string): boolean {
  return c === ' ' || c === '-';
}

/** Whether `c` is an ASCII digit. */
export function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
