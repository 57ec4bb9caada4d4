import * as path from 'node:path';
import { parseFlags } from '@gmart/command-line';

/** What `npm run soak` runs and how it judges the run. */
export interface SoakOptions {
  /** Measured minutes after the warm-up. */
  readonly minutes: number;
  /** Warm-up minutes before the measured period (JIT, connections, group joins, caches filling). */
  readonly warmupMinutes: number;
  /** Purchases per second of the purchase generator. */
  readonly rate: number;
  /** Stock transactions per second of the stock generator. */
  readonly stockRate: number;
  /** Seconds between two samples of every process. */
  readonly sampleSeconds: number;
  /** Largest RSS or heap growth (percent) that still passes. */
  readonly maxGrowthPct: number;
  /** Largest consumer-group lag (records) that still passes. */
  readonly maxLag: number;
  /** Data and logs; undefined = a temporary directory removed at the end. */
  readonly dataDir: string | undefined;
  /** Where to write every sample and the verdicts as JSON (undefined = nowhere). */
  readonly jsonFile: string | undefined;
}

/** A bad flag: the CLI prints it with the usage and exits 2. */
export class SoakUsageError extends Error {}

export const SOAK_USAGE = `Usage: npm run soak -- --minutes <n> [options]

The whole G-Mart pipeline (embedded broker and MongoDB, every service, both generators at a steady
rate) for a warm-up and then <n> minutes. Samples the RSS (/proc/<pid>/status) and the V8 heap of
every process as the old generation in use right after its last major GC, which GC timing does not
move (services: gmart_heap_old_generation_after_major_gc_bytes of their /metrics; broker, MongoDB and
generators: the same figure over an IPC probe) and the lag of every service's consumer group
(kafka_consumergroup_lag of the broker's metrics). Prints one row per process: RSS, heap and external
memory at the end of the warm-up and at the end (medians of a window), growth, max lag, PASS or FAIL.
The embedded broker and MongoDB hold data by design (read cache and batch indexes; every document, weighed
by dropping the databases at the end) and are judged on their growth beyond it. Exits 0 when every row
passes, 1 when one fails (or the run cannot start), 2 on a bad flag.

  --minutes <n>            measured minutes after the warm-up (required; decimals allowed, > 0)
  --warmup-minutes <n>     warm-up before measuring (default min(2, minutes / 5); 16 lets
                           stock-analytics' 15-minute window stores fill first)
  --rate <n>               purchases per second (default 20)
  --stock-rate <n>         stock transactions per second (default 20)
  --sample-seconds <n>     sampling period (default 5; at least 0.5)
  --max-growth-pct <n>     RSS and heap growth that still passes (default 10)
  --max-lag <n>            consumer-group lag (records) that still passes
                           (default 60 s of input: 60 x (rate + stock-rate))
  --data-dir <dir>         data and logs (default a temporary directory, removed at the end)
  --json <file>            also write every sample and the verdicts to <file>
  -h, --help               show this help
`;

function positive(name: string, v: string | undefined, dflt: number, min = 0, inclusive = false): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n) || (inclusive ? n < min : n <= min))
    throw new SoakUsageError(`--${name} must be a number ${inclusive ? '>=' : '>'} ${min}, got "${v}"`);
  return n;
}

/**
 * Parses the flags of `npm run soak` (`@gmart/command-line`'s strict `parseFlags`). Returns `'help'`
 * for `--help`; throws {@link SoakUsageError} naming the bad flag.
 */
export function parseSoakOptions(argv: readonly string[]): SoakOptions | 'help' {
  const { values, help } = parseFlags(
    argv,
    [
      'minutes',
      'warmup-minutes',
      'rate',
      'stock-rate',
      'sample-seconds',
      'max-growth-pct',
      'max-lag',
      'data-dir',
      'json',
    ],
    { error: (m) => new SoakUsageError(m) },
  );
  if (help) return 'help';
  if (values['minutes'] === undefined) throw new SoakUsageError('--minutes is required');
  const minutes = positive('minutes', values['minutes'], 0);
  const rate = positive('rate', values['rate'], 20);
  const stockRate = positive('stock-rate', values['stock-rate'], 20);
  return {
    minutes,
    warmupMinutes: positive('warmup-minutes', values['warmup-minutes'], Math.min(2, minutes / 5), 0, true),
    rate,
    stockRate,
    sampleSeconds: positive('sample-seconds', values['sample-seconds'], 5, 0.5, true),
    maxGrowthPct: positive('max-growth-pct', values['max-growth-pct'], 10, 0, true),
    maxLag: positive('max-lag', values['max-lag'], 60 * (rate + stockRate), 0, true),
    dataDir: values['data-dir'] !== undefined ? path.resolve(values['data-dir']!) : undefined,
    jsonFile: values['json'] !== undefined ? path.resolve(values['json']!) : undefined,
  };
}
