import { luhnCheckDigit } from '../cards/luhn';
import type { SeededRandom } from './seeded-random';

/** How a card number is written. */
export type CardNumberStyle = 'dashes' | 'spaces' | 'none';

/** A card brand: issuer prefixes, allowed lengths and digit grouping. */
interface Brand {
  readonly prefixes: readonly string[];
  readonly lengths: readonly number[];
  /** Group sizes for a given length (defaults to groups of 4). */
  readonly groups?: (length: number) => readonly number[];
}

const BRANDS: readonly { weight: number; value: Brand }[] = [
  { weight: 40, value: { prefixes: ['4'], lengths: [16, 16, 16, 13, 19] } },
  { weight: 25, value: { prefixes: ['51', '52', '53', '54', '55', '2221', '2720'], lengths: [16] } },
  { weight: 10, value: { prefixes: ['34', '37'], lengths: [15], groups: () => [4, 6, 5] } },
  { weight: 10, value: { prefixes: ['6011', '65'], lengths: [16, 17, 18, 19] } },
  { weight: 5, value: { prefixes: ['36'], lengths: [14], groups: () => [4, 6, 4] } },
  { weight: 10, value: { prefixes: ['35'], lengths: [16, 17, 18, 19] } },
];

function groupsOf4(length: number): number[] {
  const groups: number[] = [];
  let left = length;
  while (left > 0) {
    groups.push(Math.min(4, left));
    left -= 4;
  }
  return groups;
}

/** Writes `digits` in the given style with the given grouping. */
export function formatCardNumber(
  digits: string,
  style: CardNumberStyle,
  groups: readonly number[] = groupsOf4(digits.length),
): string {
  if (style === 'none') return digits;
  const sep = style === 'dashes' ? '-' : ' ';
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) {
    parts.push(digits.slice(at, at + g));
    at += g;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  return parts.join(sep);
}

/**
 * A Luhn-valid card number of 13 to 19 digits with a realistic issuer prefix, written with
 * dashes (as the seed's `1234-5678-9012-1122`), spaces, or no separator.
 */
export function generateCardNumber(random: SeededRandom, style?: CardNumberStyle): string {
  const brand = random.weighted(BRANDS);
  const prefix = random.pick(brand.prefixes);
  const length = random.pick(brand.lengths);
  const body = prefix + random.digits(length - prefix.length - 1);
  const digits = body + String(luhnCheckDigit(body));
  const chosen =
    style ??
    random.weighted<CardNumberStyle>([
      { weight: 5, value: 'dashes' },
      { weight: 3, value: 'spaces' },
      { weight: 2, value: 'none' },
    ]);
  return formatCardNumber(digits, chosen, brand.groups ? brand.groups(length) : undefined);
}
