import { findCardNumbers } from './find-card-numbers';

/** A card number found by {@link scanForCardNumbers}: where, and its masked form (never the number). */
export interface CardNumberFinding {
  readonly index: number;
  readonly masked: string;
}

/** A decimal number (`0.0665645519995596`, `1733400000.123`) looks like two dot-joined groups. */
function isDecimalLookalike(text: string, index: number, length: number): boolean {
  const value = text.slice(index, index + length);
  const dot = value.indexOf('.');
  if (dot < 0 || /[^\d.]/.test(value) || value.indexOf('.', dot + 1) >= 0) return false;
  return true;
}

/**
 * Every Luhn-valid 13-19 digit number in `text` (any card separators or none), as
 * {@link findCardNumbers} finds them, except decimal numbers and their fraction digits
 * (`0.06656455199955964` in a Prometheus sample), which are not card numbers. What the end-to-end
 * PAN scans of topics, logs and metrics use.
 */
export function scanForCardNumbers(text: string): CardNumberFinding[] {
  return findCardNumbers(text)
    .filter((m) => !(m.index >= 2 && text[m.index - 1] === '.' && /\d/.test(text[m.index - 2]!)))
    .filter((m) => !isDecimalLookalike(text, m.index, m.length))
    .map((m) => ({ index: m.index, masked: m.masked }));
}
