import type { DeadLetterRecord } from './errors/dead-letter-queue';
import type { Logger } from './logger';
import type { Headers } from './serialization/serde';

/**
 * Redaction of sensitive content (e.g. card numbers) in what the library writes itself: every log
 * line (message, string fields, error messages and stacks) and every dead-letter record (key,
 * value and headers, after `deadLetterQueue.mapRecord`). Set it as `StreamsConfig.redactor`.
 */
export interface Redactor {
  /** Returns `text` with the sensitive parts masked (the same string when there are none). */
  redactText(text: string): string;
  /**
   * Returns `bytes` with the sensitive parts masked; must not modify `bytes` (it may be the
   * consumed record's buffer) and returns it as is when there is nothing to mask.
   */
  redactBytes(bytes: Buffer): Buffer;
}

function redactError(redactor: Redactor, e: Error, depth: number): Error {
  const copy = new Error(redactor.redactText(e.message));
  copy.name = e.name;
  copy.stack = e.stack === undefined ? undefined : redactor.redactText(e.stack);
  if (depth < 4 && e.cause instanceof Error) copy.cause = redactError(redactor, e.cause, depth + 1);
  for (const k of ['retriable', 'code'] as const) {
    if (k in e) Object.assign(copy, { [k]: Reflect.get(e, k) });
  }
  return copy;
}

/** `value` with every string in it redacted (errors, arrays and plain objects, a few levels deep). */
export function redactValue(redactor: Redactor, value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactor.redactText(value);
  if (value instanceof Error) return redactError(redactor, value, depth);
  if (Buffer.isBuffer(value)) return redactor.redactBytes(value);
  if (depth >= 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(redactor, v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(redactor, v, depth + 1);
  return out;
}

/** A logger that redacts every message and field with `redactor` before `logger` writes it. */
export function redactingLogger(logger: Logger, redactor: Redactor): Logger {
  const wrap =
    (write: Logger['info']): Logger['info'] =>
    (message, fields) =>
      write(
        redactor.redactText(message),
        fields === undefined ? undefined : (redactValue(redactor, fields) as Record<string, unknown>),
      );
  return {
    debug: wrap(logger.debug.bind(logger)),
    info: wrap(logger.info.bind(logger)),
    warn: wrap(logger.warn.bind(logger)),
    error: wrap(logger.error.bind(logger)),
  };
}

/** `record` with its key, value and every header passed through `redactor` (new buffers where masked). */
export function redactDeadLetterRecord(record: DeadLetterRecord, redactor: Redactor): DeadLetterRecord {
  const headers: Headers = {};
  for (const [name, v] of Object.entries(record.headers)) {
    headers[name] = Buffer.isBuffer(v)
      ? redactor.redactBytes(v)
      : typeof v === 'string'
        ? redactor.redactText(v)
        : v;
  }
  return {
    key: record.key === null ? null : redactor.redactBytes(record.key),
    value: record.value === null ? null : redactor.redactBytes(record.value),
    timestamp: record.timestamp,
    headers,
  };
}
