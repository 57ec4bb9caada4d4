import { parseArgs } from 'node:util';

/** A command-line problem (unknown flag, missing or bad value); the message names the flag. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/**
 * The string flags given (by name, `undefined` when absent), the repeatable ones (every value, in
 * order; `undefined` when absent), the switches (whether each was given) and whether `--help` was.
 */
export interface ParsedFlags<N extends string, L extends string = never, S extends string = never> {
  readonly values: Readonly<Record<N, string | undefined>>;
  readonly lists: Readonly<Record<L, readonly string[] | undefined>>;
  readonly switches: Readonly<Record<S, boolean>>;
  readonly help: boolean;
}

/** Options of {@link parseFlags}. */
export interface ParseFlagsOptions {
  /** Makes the error thrown for a problem (default a {@link UsageError}), e.g. a package's own error class. */
  readonly error?: (message: string) => Error;
}

/** {@link ParseFlagsOptions} with repeatable string flags (`--user a --user b`). */
export interface ParseFlagsWithListsOptions<L extends string> extends ParseFlagsOptions {
  readonly lists: readonly L[];
}

/** {@link ParseFlagsOptions} with switches (flags without a value, `--keep`) and optional repeatable flags. */
export interface ParseFlagsWithSwitchesOptions<L extends string, S extends string> extends ParseFlagsOptions {
  readonly lists?: readonly L[];
  readonly switches: readonly S[];
}

/**
 * Parses `argv` (without `node` and the script) strictly: each of `names` is a string flag
 * (`--name value` or `--name=value`), each of `options.lists` a repeatable one, each of
 * `options.switches` a flag without a value, plus `--help`/`-h`; no positionals. Throws the error of `options.error` (a {@link UsageError} by
 * default) naming an unknown flag or a missing value.
 */
export function parseFlags<const N extends string>(
  argv: readonly string[],
  names: readonly N[],
  options?: ParseFlagsOptions,
): ParsedFlags<N>;
export function parseFlags<const N extends string, const L extends string>(
  argv: readonly string[],
  names: readonly N[],
  options: ParseFlagsWithListsOptions<L>,
): ParsedFlags<N, L>;
export function parseFlags<
  const N extends string,
  const L extends string = never,
  const S extends string = never,
>(
  argv: readonly string[],
  names: readonly N[],
  options: ParseFlagsWithSwitchesOptions<L, S>,
): ParsedFlags<N, L, S>;
export function parseFlags(
  argv: readonly string[],
  names: readonly string[],
  options: ParseFlagsOptions & {
    readonly lists?: readonly string[];
    readonly switches?: readonly string[];
  } = {},
): ParsedFlags<string, string, string> {
  const lists = options.lists ?? [];
  const switchNames = options.switches ?? [];
  const config: Record<string, { type: 'string'; multiple?: true } | { type: 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of names) config[name] = { type: 'string' };
  for (const name of lists) config[name] = { type: 'string', multiple: true };
  for (const name of switchNames) config[name] = { type: 'boolean' };
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: config }));
  } catch (e) {
    throw (options.error ?? ((m: string) => new UsageError(m)))((e as Error).message);
  }
  const strings: Record<string, string | undefined> = {};
  for (const name of names) {
    const v = values[name];
    strings[name] = typeof v === 'string' ? v : undefined;
  }
  const repeated: Record<string, string[] | undefined> = {};
  for (const name of lists) {
    const v = values[name];
    repeated[name] = Array.isArray(v) ? v.map(String) : undefined;
  }
  const switches: Record<string, boolean> = {};
  for (const name of switchNames) switches[name] = values[name] === true;
  return { values: strings, lists: repeated, switches, help: values['help'] === true };
}
/**
 * The whole number given as `--<flag>` (`raw`, surrounding spaces allowed), or `fallback` when it
 * was not given; throws the error of `error` (a {@link UsageError} by default) naming the flag when
 * `raw` is not digits or lies outside `[min, max]`.
 */
export function wholeNumber(
  flag: string,
  raw: string | undefined,
  range: { readonly fallback: number; readonly min?: number; readonly max?: number },
  error: (message: string) => Error = (m) => new UsageError(m),
): number {
  if (raw === undefined) return range.fallback;
  if (!/^\d+$/.test(raw.trim())) throw error(`--${flag} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  const min = range.min ?? 0;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (n < min || n > max) throw error(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}
