import { z } from 'zod';

/**
 * Zod builders for environment variables (raw values are strings or absent). Each states what it
 * expects in its error messages and never echoes the value, which may be a secret.
 */
const requiredOr = (what: string) => (iss: { input: unknown }) =>
  iss.input === undefined ? `is required (${what})` : `must be ${what}`;

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export const Env = {
  /** A non-empty string; required unless `fallback` is given. */
  string(description: string, fallback?: string) {
    const s = z
      .string({ error: requiredOr('a non-empty string') })
      .trim()
      .min(1, 'must not be empty');
    return (fallback === undefined ? s : s.default(fallback)).describe(description);
  },

  /** An optional non-empty string. */
  optionalString(description: string) {
    return z.string().trim().min(1, 'must not be empty').optional().describe(description);
  },

  /** A whole number in `[min, max]`. */
  int(description: string, options: { min: number; max: number; fallback?: number }) {
    const what = `a whole number between ${options.min} and ${options.max}`;
    const s = z
      .string({ error: requiredOr(what) })
      .trim()
      .regex(/^-?\d+$/, `must be ${what}`)
      .transform(Number)
      .pipe(z.number().min(options.min, `must be ${what}`).max(options.max, `must be ${what}`));
    return (options.fallback === undefined ? s : s.default(options.fallback)).describe(description);
  },

  /** An optional whole number in `[min, max]`. */
  optionalInt(description: string, options: { min: number; max: number }) {
    const what = `a whole number between ${options.min} and ${options.max}`;
    return z
      .string()
      .trim()
      .regex(/^-?\d+$/, `must be ${what}`)
      .transform(Number)
      .pipe(z.number().min(options.min, `must be ${what}`).max(options.max, `must be ${what}`))
      .optional()
      .describe(description);
  },

  /** `true` or `false` (case-insensitive). */
  boolean(description: string, fallback: boolean) {
    return z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'false'], 'must be true or false'))
      .default(String(fallback) as 'true' | 'false')
      .transform((v) => v === 'true')
      .describe(description);
  },

  /** One of `values` (case-insensitive). */
  oneOf<const T extends readonly [string, ...string[]]>(
    description: string,
    values: T,
    fallback?: T[number],
  ) {
    const what = `one of ${values.join(', ')}`;
    const s = z
      .string({ error: requiredOr(what) })
      .trim()
      .toLowerCase()
      .pipe(z.enum(values, `must be ${what}`));
    return (fallback === undefined ? s : s.default(fallback)).describe(description);
  },

  /** An optional value among `values` (case-insensitive). */
  optionalOneOf<const T extends readonly [string, ...string[]]>(description: string, values: T) {
    return z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(values, `must be one of ${values.join(', ')}`))
      .optional()
      .describe(description);
  },

  /** A Kafka topic name, defaulting to `fallback`. */
  topic(description: string, fallback?: string) {
    const what = 'a Kafka topic name (letters, digits, ".", "_", "-"; at most 249)';
    const s = z
      .string({ error: requiredOr(what) })
      .trim()
      .regex(TOPIC_NAME, `must be ${what}`);
    return (fallback === undefined ? s : s.default(fallback)).describe(description);
  },

  /** An optional Kafka topic name. */
  optionalTopic(description: string) {
    return z
      .string()
      .trim()
      .regex(TOPIC_NAME, 'must be a Kafka topic name (letters, digits, ".", "_", "-"; at most 249)')
      .optional()
      .describe(description);
  },
} as const;
