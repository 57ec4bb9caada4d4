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
  /**
   * Require authentication (MongoDB's `--auth`), off by default: SCRAM-SHA-256 users as
   * `{ name: password }` (users of `admin`, the usual `authSource`) or `{ 'db.name': password }`.
   * Every authenticated user may do everything (no roles); passwords are never kept or logged.
   */
  readonly auth?: { readonly users: Readonly<Record<string, string>> };
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
  readonly auth: { readonly users: Readonly<Record<string, string>> } | undefined;
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
    if (options.auth !== undefined) {
      const users = Object.entries(options.auth?.users ?? {});
      if (users.length === 0) throw new InvalidConfigError('auth.users must hold at least one user');
      for (const [name, password] of users) {
        if (name.length === 0 || name.startsWith('.') || name.endsWith('.'))
          throw new InvalidConfigError(`auth.users: "${name}" is not a user name (name or db.name)`);
        if (typeof password !== 'string' || password.length === 0)
          throw new InvalidConfigError(`auth.users: the password of ${name} is empty`);
      }
    }
    return {
      port,
      host,
      dataDir: options.dataDir,
      fsync,
      fsyncIntervalMs,
      compactionThreshold,
      logger: options.logger ?? MongoLoggers.console('warn'),
      auth: options.auth,
    };
  },
};
