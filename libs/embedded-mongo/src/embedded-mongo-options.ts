import { InvalidConfigError } from './errors/embedded-mongo-error';
import { MongoLogger, MongoLoggers } from './logger';

/**
 * When journal writes are forced to disk with fsync.
 *
 * Every acknowledged write is handed to the operating system before the reply is sent, so it
 * survives a crash (`kill -9`) of the server process with any policy; fsync adds protection
 * against a crash of the whole machine.
 * - `'always'`: fsync before every reply that wrote something (slowest, safest).
 * - `'interval'`: fsync dirty journals every `fsyncIntervalMs` (default).
 * - `'never'`: leave flushing to the operating system.
 */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Options of {@link EmbeddedMongo.start}. Every field is optional. */
export interface EmbeddedMongoOptions {
  /** TCP port; `0` (default) picks a free one. */
  readonly port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** Directory holding the journals; default a fresh temp directory removed by `stop()`. */
  readonly dataDir?: string;
  /** fsync policy, default `'interval'`. */
  readonly fsync?: FsyncPolicy;
  /** Period of the `'interval'` fsync policy in ms, default 1000. */
  readonly fsyncIntervalMs?: number;
  /** Journal records a collection may hold before it is compacted (and at least twice its live documents); default 10,000. */
  readonly compactionThreshold?: number;
  /** Where the server logs; default warnings and errors to stderr. */
  readonly logger?: MongoLogger;
}

/** {@link EmbeddedMongoOptions} with every default applied and every value checked. */
export interface ResolvedMongoOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string | undefined;
  readonly fsync: FsyncPolicy;
  readonly fsyncIntervalMs: number;
  readonly compactionThreshold: number;
  readonly logger: MongoLogger;
}

/** Builds and validates {@link ResolvedMongoOptions}. */
export const MongoOptions = {
  /** Applies defaults and throws {@link InvalidConfigError} naming the first bad value. */
  resolve(options: EmbeddedMongoOptions = {}): ResolvedMongoOptions {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InvalidConfigError(
        `port must be an integer between 0 and 65535, got ${String(options.port)}`,
      );
    }
    const host = options.host ?? '127.0.0.1';
    if (typeof host !== 'string' || host.length === 0)
      throw new InvalidConfigError('host must be a non-empty string');
    if (
      options.dataDir !== undefined &&
      (typeof options.dataDir !== 'string' || options.dataDir.length === 0)
    ) {
      throw new InvalidConfigError('dataDir must be a non-empty path');
    }
    const fsync = options.fsync ?? 'interval';
    if (!['always', 'interval', 'never'].includes(fsync)) {
      throw new InvalidConfigError(`fsync must be one of always, interval, never, got ${String(fsync)}`);
    }
    const fsyncIntervalMs = options.fsyncIntervalMs ?? 1000;
    if (!Number.isInteger(fsyncIntervalMs) || fsyncIntervalMs < 1) {
      throw new InvalidConfigError(
        `fsyncIntervalMs must be a positive integer, got ${String(options.fsyncIntervalMs)}`,
      );
    }
    const compactionThreshold = options.compactionThreshold ?? 10_000;
    if (!Number.isInteger(compactionThreshold) || compactionThreshold < 1) {
      throw new InvalidConfigError(
        `compactionThreshold must be a positive integer, got ${String(options.compactionThreshold)}`,
      );
    }
    return {
      port,
      host,
      dataDir: options.dataDir,
      fsync,
      fsyncIntervalMs,
      compactionThreshold,
      logger: options.logger ?? MongoLoggers.console('warn'),
    };
  },
};
