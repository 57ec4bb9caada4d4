import { parseArgs } from 'node:util';

/**
 * The command line of a benchmark whose settings are environment variables: `--help` (`-h`)
 * prints `usage` and exits 0; any other argument prints the error naming it, then `usage`, and
 * exits 2, as every command of the project does (`node:util` `parseArgs`, strict).
 */
export function benchCommandLine(name: string, usage: string, argv = process.argv.slice(2)): void {
  let help: boolean | undefined;
  try {
    help = parseArgs({ args: argv, strict: true, options: { help: { type: 'boolean', short: 'h' } } }).values
      .help;
  } catch (err) {
    process.stderr.write(`${name}: ${(err as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (help) {
    process.stdout.write(usage);
    process.exit(0);
  }
}
