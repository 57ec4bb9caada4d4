import { type Serde, Serdes } from '../../src';

/** The currencies of the seed's `Currency` enum, with its rates to US dollars. */
export const CURRENCY_TO_DOLLARS = Object.freeze({ DOLLARS: 1, EUROS: 1.09, POUNDS: 1.2929 });

/** A currency of a {@link BeerPurchase}. */
export type Currency = keyof typeof CURRENCY_TO_DOLLARS;

/** A sale of the Pops-Hops brewery (the seed's chapter 6 `BeerPurchase`). */
export interface BeerPurchase {
  readonly currency: Currency;
  /** Amount of the sale, in `currency`. */
  readonly totalSale: number;
  readonly numberCases: number;
  readonly beerType: string;
}

/** Checks a parsed JSON value is a {@link BeerPurchase}; the message names the bad field. */
export function validateBeerPurchase(v: unknown): BeerPurchase {
  if (typeof v !== 'object' || v === null) throw new Error('a beer purchase must be a JSON object');
  const o = v as Record<string, unknown>;
  if (typeof o.currency !== 'string' || !(o.currency in CURRENCY_TO_DOLLARS))
    throw new Error(`currency must be one of ${Object.keys(CURRENCY_TO_DOLLARS).join(', ')}`);
  if (typeof o.totalSale !== 'number' || !Number.isFinite(o.totalSale) || o.totalSale < 0)
    throw new Error('totalSale must be a non-negative number');
  if (typeof o.numberCases !== 'number' || !Number.isInteger(o.numberCases) || o.numberCases < 1)
    throw new Error('numberCases must be a whole number >= 1');
  if (typeof o.beerType !== 'string' || o.beerType.length === 0)
    throw new Error('beerType must be a non-empty string');
  return {
    currency: o.currency as Currency,
    totalSale: o.totalSale,
    numberCases: o.numberCases,
    beerType: o.beerType,
  };
}

/** JSON serde of {@link BeerPurchase}, validating what it reads. */
export function beerPurchaseSerde(): Serde<BeerPurchase> {
  return Serdes.Json<BeerPurchase>(validateBeerPurchase);
}

/**
 * `amount` rounded to cents half-even, as the seed's `DecimalFormat("###.##")` does (its default
 * rounding mode is HALF_EVEN): 2.345 -> 2.34, 2.355 -> 2.36.
 */
export function roundCentsHalfEven(amount: number): number {
  const scaled = amount * 100;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const EPS = 1e-9;
  let cents: number;
  if (Math.abs(diff - 0.5) < EPS) cents = floor % 2 === 0 ? floor : floor + 1;
  else cents = Math.round(scaled);
  return cents / 100;
}

/** The seed's `Currency.convertToDollars`, rounded as its processor rounds. */
export function toDollars(currency: Currency, amount: number): number {
  return roundCentsHalfEven(amount * CURRENCY_TO_DOLLARS[currency]);
}
