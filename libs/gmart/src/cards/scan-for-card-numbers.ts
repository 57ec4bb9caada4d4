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
 * A UUID (`ec10d99e-1751-4f2f-bf70-b4348268c11b`), whose all-digit groups can join into a Luhn-valid
 * run; not part of a longer run of hex digits (a card number's last 8 digits and a UUID-shaped tail
 * after it are no UUID: the card must still be found).
 */
const UUID = /(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/gi;

/** The [start, end) ranges of the UUIDs in `text`. */
function uuidRanges(text: string): [number, number][] {
  return [...text.matchAll(UUID)].map((u) => [u.index, u.index + u[0].length]);
}

/**
 * Every Luhn-valid 13-19 digit number in `text` (any card separators or none), as
 * {@link findCardNumbers} finds them, except decimal numbers and their fraction digits
 * (`0.06656455199955964` in a Prometheus sample) and digits inside a UUID (a consumer group's member
 * id in a broker log: `…-12345678-1234-4123-…` joins into 16 digits), which are not card numbers.
 * What the end-to-end PAN scans of topics, logs and metrics use.
 */
export function scanForCardNumbers(text: string): CardNumberFinding[] {
  const found = findCardNumbers(text);
  const uuids = found.length > 0 ? uuidRanges(text) : [];
  return found
    .filter((m) => !(m.index >= 2 && text[m.index - 1] === '.' && /\d/.test(text[m.index - 2]!)))
    .filter((m) => !isDecimalLookalike(text, m.index, m.length))
    .filter((m) => !uuids.some(([start, end]) => m.index < end && m.index + m.length > start))
    .map((m) => ({ index: m.index, masked: m.masked }));
}
