import { parseFlags } from './parse-flags';

/**
 * Parses a command line with `parse` and answers as every command of the project does: when it
 * throws an error of `usageErrors` (the problems of the command line), prints `<name>: <message>`
 * and `usage` on stderr and exits 2; when the result asks for help, prints `usage` on stdout and
 * exits 0; otherwise returns the result. Other errors are thrown on.
 */
export function runCommandLine<T extends { readonly help: boolean }>(
  name: string,
  usage: string,
  parse: () => T,
  usageErrors: ReadonlyArray<abstract new (...args: never[]) => Error>,
): T {
  let parsed: T;
  try {
    parsed = parse();
  } catch (err) {
    if (!usageErrors.some((kind) => err instanceof kind)) throw err;
    process.stderr.write(`${name}: ${(err as Error).message}\n\n${usage}`);
    return process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(usage);
    return process.exit(0);
  }
  return parsed;
}

/**
 * The command line of a benchmark whose settings are environment variables: `--help` (`-h`)
 * prints `usage` and exits 0; any other argument prints the error naming it, then `usage`, and
 * exits 2.
 */
export function benchCommandLine(name: string, usage: string, argv = process.argv.slice(2)): void {
  runCommandLine(name, usage, () => parseFlags(argv, []), [Error]);
}
