import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/streams-env-schema';

/** Options of {@link createServiceLogger}. */
export interface ServiceLoggerOptions {
  readonly service: string;
  readonly level: LogLevel;
  /** Where JSON lines go (default: stdout). */
  readonly destination?: DestinationStream;
  /**
   * Masks sensitive text (e.g. card numbers) in every message string and error text before it is
   * written (the service's `redactor`, see `StreamsServiceOptions`). Default: none.
   */
  readonly redactText?: (text: string) => string;
}

const unchanged = (text: string): string => text;

/**
 * Field paths never written: record keys and values (they carry card data) and secrets. Logged as
 * `[redacted]`.
 */
export const REDACTED_PATHS: readonly string[] = [
  'key',
  'value',
  'record.key',
  'record.value',
  '*.key',
  '*.value',
  'creditCardNumber',
  '*.creditCardNumber',
  'password',
  '*.password',
  'sasl.password',
  'kafka.sasl.password',
  'kafka.ssl.key',
];

/**
 * A pino logger writing one JSON object per line: `level` as a label, `time` as ISO-8601,
 * `service` on every line. Keys and values of records and passwords are redacted by path, and
 * every message string and error text goes through `redactText` before it is written.
 */
export function createServiceLogger(options: ServiceLoggerOptions): Logger {
  const redact = options.redactText ?? unchanged;
  return pino(
    {
      level: options.level,
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => redactShallow(a, redact)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
      serializers: {
        err: (e: unknown) => errorFields(e, redact),
        error: (e: unknown) => errorFields(e, redact),
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A string redacted, or a plain object with its string fields redacted; anything else as is. */
function redactShallow(a: unknown, redact: (text: string) => string): unknown {
  if (typeof a === 'string') return redact(a);
  if (a === null || typeof a !== 'object' || Object.getPrototypeOf(a) !== Object.prototype) return a;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out;
}

/** Name, message, retriable flag and stack of an error, texts through `redact`. */
export function errorFields(e: unknown, redact: (text: string) => string = unchanged): unknown {
  if (!(e instanceof Error)) return typeof e === 'string' ? redact(e) : e;
  const fields: Record<string, unknown> = { name: e.name, message: redact(e.message) };
  if ('retriable' in e) fields.retriable = (e as { retriable: unknown }).retriable;
  if (e.stack) fields.stack = redact(e.stack);
  if (e.cause instanceof Error) fields.cause = { name: e.cause.name, message: redact(e.cause.message) };
  return fields;
}
