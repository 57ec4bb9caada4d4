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

/** Parses CLI flags (`--flag value` or `--flag=value`); throws {@link InvalidConfigError} naming a bad flag. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let port = 27017;
  let host: string | undefined;
  let dataDir = '.data/mongo';
  let fsync: FsyncPolicy | undefined;
  let fsyncIntervalMs: number | undefined;
  let logLevel: LogLevel = 'info';
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new InvalidConfigError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    let value = eq >= 0 ? arg.slice(eq + 1) : argv[i + 1];
    const known = ['--port', '--host', '--data-dir', '--fsync', '--fsync-interval-ms', '--log-level'];
    if (!known.includes(flag)) throw new InvalidConfigError(`unknown flag '${flag}'`);
    if (value === undefined || (eq < 0 && value.startsWith('--')))
      throw new InvalidConfigError(`${flag} needs a value`);
    if (eq < 0) i++;
    value = value.trim();
    switch (flag) {
      case '--port':
        port = integer(flag, value);
        if (port > 65535) throw new InvalidConfigError(`--port must be at most 65535, got ${port}`);
        break;
      case '--host':
        host = value;
        break;
      case '--data-dir':
        if (!value) throw new InvalidConfigError('--data-dir needs a path');
        dataDir = value;
        break;
      case '--fsync':
        if (!['always', 'interval', 'never'].includes(value)) {
          throw new InvalidConfigError(`--fsync must be always, interval or never, got '${value}'`);
        }
        fsync = value as FsyncPolicy;
        break;
      case '--fsync-interval-ms':
        fsyncIntervalMs = integer(flag, value);
        break;
      case '--log-level':
        if (!['debug', 'info', 'warn', 'error', 'silent'].includes(value)) {
          throw new InvalidConfigError(
            `--log-level must be debug, info, warn, error or silent, got '${value}'`,
          );
        }
        logLevel = value as LogLevel;
        break;
    }
  }
  return { options: { port, host, dataDir, fsync, fsyncIntervalMs }, logLevel, help };
}
