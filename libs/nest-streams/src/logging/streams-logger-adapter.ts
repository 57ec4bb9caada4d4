import type { Logger } from 'pino';
import { errorFields } from './service-logger';

/**
 * The structured logger interface of `@gmart/streams` (`debug/info/warn/error(message, fields)`).
 * Fields carry positions (topic, partition, offset), never record keys or values.
 */
export interface StreamsLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function clean(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? errorFields(v) : v;
  return out;
}

/** Routes `@gmart/streams` log lines into the service's pino logger (child `logger: streams`). */
export function streamsLoggerFor(logger: Logger): StreamsLogger {
  const child = logger.child({ logger: 'streams' });
  return {
    debug: (m, f) => child.debug(clean(f), m),
    info: (m, f) => child.info(clean(f), m),
    warn: (m, f) => child.warn(clean(f), m),
    error: (m, f) => child.error(clean(f), m),
  };
}
