/** Where the server writes what it does (connections, bad frames, recovery, compaction). */
export interface MongoLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Log levels, most verbose first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** Factories for the loggers the server ships with. */
export const MongoLoggers = {
  /** Writes lines at or above `level` to stderr, prefixed with a timestamp and `[embedded-mongo]`. */
  console(level: LogLevel = 'info'): MongoLogger {
    const at = ORDER[level];
    const write = (lvl: LogLevel, message: string): void => {
      if (ORDER[lvl] >= at)
        process.stderr.write(
          `${new Date().toISOString()} [embedded-mongo] ${lvl.toUpperCase()} ${message}\n`,
        );
    };
    return {
      debug: (m) => write('debug', m),
      info: (m) => write('info', m),
      warn: (m) => write('warn', m),
      error: (m) => write('error', m),
    };
  },
  /** Discards everything. */
  silent(): MongoLogger {
    const noop = (): void => undefined;
    return { debug: noop, info: noop, warn: noop, error: noop };
  },
};
