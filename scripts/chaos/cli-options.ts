import { parseFlags } from '@gmart/command-line';

/** Parsed `npm run chaos` command line. */
export interface ChaosOptions {
  readonly help: boolean;
  /** Scenario names to run, in the suite's order (default all). */
  readonly scenarios: readonly string[] | undefined;
  /** Records per scenario instead of each one's default. */
  readonly records: number | undefined;
  /** Seconds MongoDB stays down in mongo-outage (default 30). */
  readonly outageSeconds: number | undefined;
  /** Keep the run directory (logs, data) instead of removing it. */
  readonly keep: boolean;
}

/** A bad command line; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new UsageError(`--${flag} must be a positive integer, got "${v}"`);
  return Number(v);
}

/** Parses the flags (`@gmart/command-line`'s `parseFlags`, strict); throws {@link UsageError} naming what is wrong. */
export function parseChaosArgs(argv: readonly string[], known: readonly string[]): ChaosOptions {
  const { values, switches, help } = parseFlags(argv, ['scenarios', 'records', 'outage-seconds'], {
    switches: ['keep'],
    error: (m) => new UsageError(m),
  });
  let scenarios: string[] | undefined;
  if (values.scenarios !== undefined) {
    scenarios = values.scenarios
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const unknown = scenarios.filter((s) => !known.includes(s));
    if (unknown.length > 0 || scenarios.length === 0)
      throw new UsageError(
        `--scenarios: unknown ${unknown.length ? `"${unknown.join('", "')}"` : '(empty list)'}; known: ${known.join(', ')}`,
      );
  }
  return {
    help,
    scenarios,
    records: positiveInt('records', values.records),
    outageSeconds: positiveInt('outage-seconds', values['outage-seconds']),
    keep: switches.keep,
  };
}
