#!/usr/bin/env node
/**
 * CLI of the embedded MongoDB-wire server: `npm run mongo -- --port 27017 --data-dir .data/mongo`.
 * Prints `embedded-mongo listening on mongodb://...` once ready; SIGINT/SIGTERM stop it cleanly
 * (journals flushed and fsynced). `--help` prints the usage and exits 0; a bad flag exits 2 naming it; 1 when it cannot start.
 */
import { parseCliArgs, USAGE } from './cli-args';
import type { EmbeddedMongo } from './embedded-mongo';
import { InvalidConfigError } from './errors/embedded-mongo-error';
import { MongoLoggers } from './logger';

async function main(): Promise<void> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`embedded-mongo: ${(e as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  // Loaded once the flags are checked: `--help` and a bad flag answer without loading the server.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EmbeddedMongo } = require('./embedded-mongo') as typeof import('./embedded-mongo');
  let mongo: EmbeddedMongo;
  try {
    mongo = await EmbeddedMongo.start({ ...args.options, logger: MongoLoggers.console(args.logLevel) });
  } catch (e) {
    process.stderr.write(`embedded-mongo: cannot start: ${(e as Error).message}\n`);
    process.exit(e instanceof InvalidConfigError ? 2 : 1);
  }
  process.stdout.write(`embedded-mongo listening on ${mongo.uri} (data in ${mongo.dataDir})\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`embedded-mongo: ${signal} received, stopping\n`);
    mongo.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`embedded-mongo: stop failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
