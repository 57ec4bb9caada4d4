import { z } from 'zod';

/** Latest instant accepted anywhere (year 9999). */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** A required, trimmed, non-empty string of at most `max` characters. */
export function requiredText(max: number) {
  return z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
}

const ISO_DATE_TIME = z.iso.datetime({ offset: true });
const ISO_DATE = z.iso.date();

/**
 * An instant on input: an ISO-8601 date-time with `Z` or an offset (`2026-11-30T05:55:00.000Z`),
 * a date (`2026-11-30`, midnight UTC) or epoch milliseconds. Normalised to epoch milliseconds.
 */
export const instantInput = z
  // String first: records carry ISO-8601 dates, and a union stops at the first option that fits.
  .union([
    z.string('must be an ISO-8601 string or epoch milliseconds'),
    z.number('must be an ISO-8601 string or epoch milliseconds'),
  ])
  .transform((v, ctx) => {
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0 || v > MAX_EPOCH_MS) {
        ctx.addIssue({
          code: 'custom',
          message: 'epoch milliseconds must be an integer between 0 and year 9999',
        });
        return z.NEVER;
      }
      return v;
    }
    const ms =
      ISO_DATE_TIME.safeParse(v).success || ISO_DATE.safeParse(v).success ? Date.parse(v) : Number.NaN;
    if (Number.isNaN(ms)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an ISO-8601 date-time with Z or an offset, a date, or epoch milliseconds',
      });
      return z.NEVER;
    }
    return ms;
  });

/** An instant as held in memory: epoch milliseconds. */
export const instant = z.number().int().min(0).max(MAX_EPOCH_MS);

/** Rounds an amount of money to cents (half away from zero), avoiding binary float drift. */
export function roundToCents(amount: number): number {
  return Math.round((amount + Number.EPSILON * Math.sign(amount)) * 100) / 100;
}
