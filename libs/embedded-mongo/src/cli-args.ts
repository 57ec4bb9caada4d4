import { readFileSync } from 'node:fs';
import { parseFlags } from '@gmart/command-line';
import { EmbeddedMongoOptions, FsyncPolicy } from './embedded-mongo-options';
import { InvalidConfigError } from './errors/embedded-mongo-error';
import { LogLevel } from './logger';

/** Usage text of the CLI. */
export const USAGE = `Usage: npm run mongo -- [options]

Starts the embedded MongoDB-wire server (for local runs and tests; production uses MongoDB).

Options:
  --port <n>               TCP port (default 27017; 0 picks a free port)
  --host <addr>            interface to bind (default 127.0.0.1)
  --data-dir <path>        data directory (default .data/mongo)
  --fsync <policy>         always | interval | never (default interval)
  --fsync-interval-ms <n>  period of the interval policy (default 1000)
  --log-level <level>      debug | info | warn | error | silent (default info)
  --user <name:password>   require authentication; a SCRAM-SHA-256 user of admin (or db.name:password)
                           (repeatable; prefer --users-file: flags show in ps)
  --users-file <file>      require authentication; users, one name:password per line (# comments)
  --help                   show this help`;

/** Parsed command line. */
export interface CliArgs {
  readonly options: EmbeddedMongoOptions & { readonly port: number; readonly dataDir: string };
  readonly logLevel: LogLevel;
  readonly help: boolean;
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidConfigError(`${flag} expects a non-negative integer, got '${value}'`);
  return Number(value);
}

/**
 * Parses CLI flags (`--flag value` or `--flag=value`, through `node:util` `parseArgs`, strict);
 * throws {@link InvalidConfigError} naming an unknown flag, a missing value or a bad value.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values, lists, help } = parseFlags(
    argv,
    ['port', 'host', 'data-dir', 'fsync', 'fsync-interval-ms', 'log-level', 'users-file'],
    { lists: ['user'], error: (m) => new InvalidConfigError(m) },
  );
  const str = (k: keyof typeof values) => values[k]?.trim();
  let port = 27017;
  const rawPort = str('port');
  if (rawPort !== undefined) {
    port = integer('--port', rawPort);
    if (port > 65535) throw new InvalidConfigError(`--port must be at most 65535, got ${port}`);
  }
  const dataDir = str('data-dir') ?? '.data/mongo';
  if (!dataDir) throw new InvalidConfigError('--data-dir needs a path');
  const fsync = str('fsync');
  if (fsync !== undefined && !['always', 'interval', 'never'].includes(fsync)) {
    throw new InvalidConfigError(`--fsync must be always, interval or never, got '${fsync}'`);
  }
  const rawInterval = str('fsync-interval-ms');
  const logLevel = str('log-level') ?? 'info';
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new InvalidConfigError(`--log-level must be debug, info, warn, error or silent, got '${logLevel}'`);
  }
  const users = parseUsers(lists.user, str('users-file'));
  return {
    options: {
      ...(users ? { auth: { users } } : {}),
      port,
      host: str('host'),
      dataDir,
      fsync: fsync as FsyncPolicy | undefined,
      fsyncIntervalMs: rawInterval === undefined ? undefined : integer('--fsync-interval-ms', rawInterval),
    },
    logLevel: logLevel as LogLevel,
    help,
  };
}

/** Users from `--user` and `--users-file`; a bad line throws naming the flag (never a password). */
function parseUsers(
  flags: readonly string[] | undefined,
  file: string | undefined,
): Record<string, string> | undefined {
  const users: Record<string, string> = {};
  const add = (flag: string, line: string): void => {
    const at = line.indexOf(':');
    if (at <= 0 || at === line.length - 1)
      throw new InvalidConfigError(`${flag}: each user must be name:password`);
    users[line.slice(0, at)] = line.slice(at + 1);
  };
  for (const u of flags ?? []) add('--user', u);
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new InvalidConfigError(
        `--users-file: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length > 0 && !t.startsWith('#')) add('--users-file', t);
    }
    if (Object.keys(users).length === 0) throw new InvalidConfigError(`--users-file: ${file} holds no user`);
  }
  return Object.keys(users).length > 0 ? users : undefined;
}
