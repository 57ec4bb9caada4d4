/**
 * Minimal structured logger. Fields carry topic/partition/offset/task ids, never record keys or values.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/**
 * A logger writing one JSON line per entry to stderr. The level defaults to the
 * `GMART_STREAMS_LOG_LEVEL` environment variable, else `info`.
 */
export function consoleLogger(
  level: LogLevel = (process.env.GMART_STREAMS_LOG_LEVEL as LogLevel) || 'info',
  name = 'gmart-streams',
): Logger {
  const min = ORDER[level] ?? ORDER.info;
  const write = (lvl: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: lvl,
      logger: name,
      msg: message,
      ...fields,
    };
    if (fields && fields.error instanceof Error)
      entry.error = { name: fields.error.name, message: fields.error.message };
    process.stderr.write(JSON.stringify(entry) + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
