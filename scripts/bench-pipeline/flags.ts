import { parseFlags } from '@gmart/command-line';
import type { KafkaClientName } from '@gmart/streams';

/** Every case `bench:pipeline` knows, in the order the cases run within a round. */
export const CASE_NAMES = [
  'reference',
  'masking',
  'pipeline',
  'paced',
  'coupons',
  'stocks',
  'stocks-x2',
  'masking-kcat-none',
  'masking-kcat-lz4',
  'masking-kcat-zstd',
] as const;

/** One case name of {@link CASE_NAMES}. */
export type CaseName = (typeof CASE_NAMES)[number];

const DEFAULT_CASES: readonly CaseName[] = ['reference', 'masking', 'pipeline', 'paced', 'coupons', 'stocks'];

/** Usage text of `npm run bench:pipeline`. */
export const USAGE = `Usage: npm run bench:pipeline -- [options]

Records/s end to end through the G-Mart services against the embedded broker (each in its own
process), with a plain kafkajs produce -> consume on the same broker as the same-run reference.

  --clients <list>     Kafka clients, each case runs with each (default kafkajs,platformatic)
  --guarantees <list>  PROCESSING_GUARANTEE of every service, each case run under each of
                       at_least_once, exactly_once_v2 (interleaved; a line per case and client
                       gives the exactly-once penalty); default: each service's own; a client
                       without transactions skips exactly_once_v2
  --guarantee <g>      the same for one guarantee
  --records <n>        timed records per run (default 100000)
  --warmup <n>         warm-up records per run before timing (default 20000; 0 = none); the
                       timed part starts at least 4 s after the warm-up's start (past the
                       clients' first heartbeat)
  --runs <n>           runs per case, cases interleaved; lines give medians (default 3)
  --cases <list>       comma-separated cases (default ${DEFAULT_CASES.join(',')};
                       all: ${CASE_NAMES.join(', ')})
  --paced-rate <n>     input rate of the paced case, records/s (default 1000)
  --paced-seconds <n>  length of the paced case (default 10)
  --profile <dir>      write CPU profiles of the broker and every service process to <dir>,
                       with runs.jsonl (each run's timed window and process ids); summary:
                       npm run bench:profile-summary -- --dir <dir>
  --heap-profile <dir> write allocation profiles (sampled, collected objects included) of every
                       service process to <dir>/<pid>.heapprofile
  --broker-requests    serve the broker's metrics and add to each line the requests it received
                       per 1,000 timed records, by API, and its bytes in and out per record
                       (medians over the runs): the requests each case's processes send
  --node-args=<flags>  extra Node flags for every service process, after the flags the services
                       are deployed with (--max-semi-space-size=32 --min-semi-space-size=32
                       --single-threaded-gc, which stock-analytics runs without;
                       GMART_SINGLE_THREADED_GC=false in the environment leaves every service
                       V8's parallel GC, =true gives stock-analytics the flag too),
                       so one given here wins: --node-args=--max-semi-space-size=16 runs them
                       with 16 MiB semi-spaces, --node-args=--min-semi-space-size=0 lets V8
                       resize the young generation
  --broker-node-args=<flags>
                       extra Node flags for the broker process, after the ones it starts with
                       (--invocation-count-for-turbofan=500), so one given here wins; e.g.
                       --broker-node-args=--perf-basic-prof for perf record -p <broker pid>
  -h, --help           show this help
`;

/** A processing guarantee the services accept in `PROCESSING_GUARANTEE`. */
export type Guarantee = 'at_least_once' | 'exactly_once_v2';

const GUARANTEES: readonly Guarantee[] = ['at_least_once', 'exactly_once_v2'];

/** The checked flags of `bench:pipeline`. */
export interface BenchFlags {
  /** Client names as given (checked against the library's list when the run starts); unset: all. */
  readonly clients: readonly KafkaClientName[] | undefined;
  /** PROCESSING_GUARANTEE values every service case runs under; unset: each service's own default. */
  readonly guarantees: readonly Guarantee[] | undefined;
  readonly records: number;
  readonly warmup: number;
  readonly runs: number;
  readonly cases: readonly CaseName[];
  readonly pacedRate: number;
  readonly pacedSeconds: number;
  readonly profile: string | undefined;
  readonly heapProfile: string | undefined;
  /** `--broker-requests`: the broker's requests by API and bytes per timed record on each line. */
  readonly brokerRequests: boolean;
  readonly nodeArgs: readonly string[];
  /** Extra Node flags of the broker process (after `BROKER_NODE_FLAGS`, so they win). */
  readonly brokerNodeArgs: readonly string[];
  readonly help: boolean;
}

/** A command-line problem; the message names the flag. */
export class BenchUsageError extends Error {}

function whole(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min)
    throw new BenchUsageError(`--${name} must be a whole number >= ${min}, got "${text}"`);
  return Number(text);
}

/**
 * Parses the flags (`node:util` `parseArgs`, strict). Throws {@link BenchUsageError} naming an
 * unknown flag, a missing value or a bad value.
 */
export function parseBenchFlags(argv: readonly string[]): BenchFlags {
  const { values, switches, help } = parseFlags(
    argv,
    [
      'clients',
      'guarantee',
      'guarantees',
      'records',
      'warmup',
      'runs',
      'cases',
      'paced-rate',
      'paced-seconds',
      'profile',
      'heap-profile',
      'node-args',
      'broker-node-args',
    ],
    { error: (m) => new BenchUsageError(m), switches: ['broker-requests'] },
  );
  const str = (k: keyof typeof values) => values[k];
  const cases = (str('cases') ?? DEFAULT_CASES.join(',')).split(',').map((x) => x.trim());
  for (const name of cases) {
    if (!(CASE_NAMES as readonly string[]).includes(name))
      throw new BenchUsageError(`--cases: unknown case "${name}"; known: ${CASE_NAMES.join(', ')}`);
  }
  const clients = str('clients')
    ?.split(',')
    .map((x) => x.trim()) as KafkaClientName[] | undefined;
  if (str('guarantee') !== undefined && str('guarantees') !== undefined)
    throw new BenchUsageError('--guarantee and --guarantees: give one of them');
  const flag = str('guarantees') !== undefined ? 'guarantees' : 'guarantee';
  const guarantees = str(flag)
    ?.split(',')
    .map((x) => x.trim()) as Guarantee[] | undefined;
  for (const g of guarantees ?? [])
    if (!GUARANTEES.includes(g))
      throw new BenchUsageError(`--${flag}: "${g}" is not one of ${GUARANTEES.join(', ')}`);
  if (guarantees && new Set(guarantees).size !== guarantees.length)
    throw new BenchUsageError(`--${flag}: a guarantee is listed twice`);
  return {
    clients,
    guarantees,
    records: whole('records', str('records'), 100_000),
    warmup: whole('warmup', str('warmup'), 20_000, 0),
    runs: whole('runs', str('runs'), 3),
    cases: cases as CaseName[],
    pacedRate: whole('paced-rate', str('paced-rate'), 1000),
    pacedSeconds: whole('paced-seconds', str('paced-seconds'), 10),
    profile: str('profile'),
    heapProfile: str('heap-profile'),
    brokerRequests: switches['broker-requests'],
    nodeArgs: (str('node-args') ?? '').split(' ').filter(Boolean),
    brokerNodeArgs: (str('broker-node-args') ?? '').split(' ').filter(Boolean),
    help,
  };
}
