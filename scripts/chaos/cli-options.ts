import { parseArgs } from 'node:util';

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

/** Parses the flags (`node:util` `parseArgs`, strict); throws {@link UsageError} naming what is wrong. */
export function parseChaosArgs(argv: readonly string[], known: readonly string[]): ChaosOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scenarios: { type: 'string' },
        records: { type: 'string' },
        'outage-seconds': { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let scenarios: string[] | undefined;
  if (values.scenarios !== undefined) {
    scenarios = String(values.scenarios)
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
    help: values.help === true,
    scenarios,
    records: positiveInt('records', values.records as string | undefined),
    outageSeconds: positiveInt('outage-seconds', values['outage-seconds'] as string | undefined),
    keep: values.keep === true,
  };
}
