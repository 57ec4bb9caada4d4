import { BadRequestException } from '@nestjs/common';

/**
 * Checks of an HTTP query string, shared by every service's endpoints: each one answers 400 with a
 * message naming the parameter and what it must be, and never echoes the value it got (a query
 * string may carry anything, a card number included, and client errors are logged).
 */
export type RawQuery = Readonly<Record<string, unknown>>;

/** 400 when `raw` has a parameter outside `allowed` (names cut to 40 characters in the message). */
export function rejectUnknownQuery(raw: RawQuery, allowed: readonly string[]): void {
  const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new BadRequestException(
      `unknown query parameter(s): ${unknown.map((k) => k.slice(0, 40)).join(', ')}; ` +
        (allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : 'this endpoint takes none'),
    );
}

/** The parameter's single value, undefined when absent; 400 when it is given more than once. */
export function singleQueryValue(raw: RawQuery, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadRequestException(`${name} must be given once`);
  return v;
}

/** `local=true|false` of the routed queries (default false); 400 for anything else. */
export function localQueryFlag(raw: RawQuery): boolean {
  const v = singleQueryValue(raw, 'local');
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new BadRequestException('local must be true or false');
}

/** A whole number from `min` to `max` written in decimal digits (default `fallback`); 400 otherwise. */
export function wholeNumberQuery(
  raw: RawQuery,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = singleQueryValue(raw, name);
  if (v === undefined) return fallback;
  const n = /^\d{1,15}$/.test(v) ? Number(v) : NaN;
  if (!(n >= min && n <= max))
    throw new BadRequestException(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An instant as epoch milliseconds (digits) or an ISO-8601 date or date-time (`2026-01-31`,
 * `2026-01-31T12:00:00Z`); `fallback` when absent or empty; 400 otherwise.
 */
export function instantQuery(raw: RawQuery, name: string, fallback: number): number {
  const v = singleQueryValue(raw, name);
  if (v === undefined || v === '') return fallback;
  const ms = /^\d{1,16}$/.test(v) ? Number(v) : ISO_INSTANT.test(v) ? Date.parse(v) : NaN;
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new BadRequestException(
      `${name} must be epoch milliseconds or an ISO-8601 date or instant (2026-01-31, 2026-01-31T12:00:00Z)`,
    );
  return ms;
}
