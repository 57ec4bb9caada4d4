/** Fewest digits in a payment card number (ISO/IEC 7812). */
export const MIN_CARD_DIGITS = 13;
/** Most digits in a payment card number (ISO/IEC 7812). */
export const MAX_CARD_DIGITS = 19;

/**
 * Characters accepted between the digit groups of a card number: space, dash, dot, slash and tab
 * (`4111 1111 1111 1111`, `4111-1111-...`, `4111.1111...`, `4111/1111...`, `4111\t1111...`).
 */
export const CARD_SEPARATORS: readonly string[] = Object.freeze([' ', '-', '.', '/', '\t']);

/** Whether `c` is a separator allowed between card digit groups (see {@link CARD_SEPARATORS}). */
export function isCardSeparator(c: string): boolean {
  return c === ' ' || c === '-' || c === '.' || c === '/' || c === '\t';
}

/** Whether the character code `code` is a card separator (see {@link CARD_SEPARATORS}). */
export function isCardSeparatorCode(code: number): boolean {
  return code === 0x20 || code === 0x2d || code === 0x2e || code === 0x2f || code === 0x09;
}

/** Whether `c` is an ASCII digit. */
export function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
