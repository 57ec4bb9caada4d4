/**
 * The project's command lines, parsed one way (`node:util` `parseArgs`, strict): `--help` (`-h`)
 * prints the usage and exits 0; an unknown flag, a missing value or a bad value prints the error
 * naming the flag, then the usage, and exits 2. See README.md.
 */
export {
  UsageError,
  parseFlags,
  wholeNumber,
  type ParsedFlags,
  type ParseFlagsOptions,
  type ParseFlagsWithListsOptions,
  type ParseFlagsWithSwitchesOptions,
} from './parse-flags';
export { runCommandLine, benchCommandLine } from './run-command-line';
