import { redact } from '@gmart/gmart';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/streams-env-schema';

/** Options of {@link createServiceLogger}. */
export interface ServiceLoggerOptions {
  readonly service: string;
  readonly level: LogLevel;
  /** Where JSON lines go (default: stdout). */
  readonly destination?: DestinationStream;
}

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
];

/**
 * A pino logger writing one JSON object per line: `level` as a label, `time` as ISO-8601,
 * `service` on every line. Keys and values of records and passwords are redacted by path, and
 * any card-shaped number in a message string is masked before it is written.
 */
export function createServiceLogger(options: ServiceLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<
            typeof method
          >;
          method.apply(this, masked);
        },
      },
      serializers: {
        err: (e: unknown) => errorFields(e),
        error: (e: unknown) => errorFields(e),
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Name, message (card numbers masked), retriable flag and stack of an error. */
export function errorFields(e: unknown): unknown {
  if (!(e instanceof Error)) return typeof e === 'string' ? redact(e) : e;
  const fields: Record<string, unknown> = { name: e.name, message: redact(e.message) };
  if ('retriable' in e) fields.retriable = (e as { retriable: unknown }).retriable;
  if (e.stack) fields.stack = redact(e.stack);
  if (e.cause instanceof Error) fields.cause = { name: e.cause.name, message: redact(e.cause.message) };
  return fields;
}
