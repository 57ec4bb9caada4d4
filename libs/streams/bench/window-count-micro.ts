/**
 * `npm run bench:window-micro -w @gmart/streams`: the CPU and allocation per input record of the
 * stock-analytics service's tumbling and hopping counts (`TimeWindows` of 20 s, and of 20 s advancing
 * by 5 s: 5 window updates per record, each on an in-memory window store with the record cache and a
 * changelog) without a broker, the windowed-aggregation path through the store stack alone: the
 * records go to the test driver's task directly, a commit (the task's `prepareCommit`, which flushes
 * the caches) every MICRO_COMMIT_RECORDS records. Keys as the stock generator's (2,400 customer and
 * symbol pairs), 10 ms apart. The counts' updates end in a `foreach` (no sink: the topic
 * serialization is not measured). Prints the CPU per record (median of MICRO_RUNS, the first not
 * counted), the GC summary per record, and a digest of everything written (changelogs) and forwarded
 * (in the first run: the forwarded updates are recorded then only), which must not change with a
 * performance change.
 * Env: MICRO_RECORDS (default 40000), MICRO_RUNS (default 4), MICRO_COMMIT_RECORDS (default 8000),
 * MICRO_AB_BASE (the `libs/streams` directory of another checkout: its code and this one's run
 * alternately in this process, MICRO_RUNS pairs after a warm-up of each; prints the median
 * this/base ratio and both digests).
 */
import { createHash, type Hash } from 'node:crypto';
import { median } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';
import type * as streams from '../src';
import { alternate, baseSide, internalsOf, type Side, THIS, timed } from './micro-ab';

const USAGE = `Usage: npm run bench:window-micro -w @gmart/streams

CPU and allocation per input record of a tumbling and a hopping windowed count (in-memory window
stores, record cache, changelogs) through the test driver's task, a commit every MICRO_COMMIT_RECORDS.

Settings come from the environment: MICRO_RECORDS (default 40000), MICRO_RUNS (default 4, the first
not counted), MICRO_COMMIT_RECORDS (default 8000). MICRO_AB_BASE=<another checkout's libs/streams>:
that code and this one alternate in one process; prints the median this/base ratio.

  -h, --help   show this help
`;

benchCommandLine('bench:window-micro @gmart/streams', USAGE);

const RECORDS = Number(process.env.MICRO_RECORDS ?? 40_000);
const RUNS = Number(process.env.MICRO_RUNS ?? 4);
const COMMIT = Number(process.env.MICRO_COMMIT_RECORDS ?? 8_000);
const AB_BASE = process.env.MICRO_AB_BASE;

type Lib = typeof streams;

/** Forwarded updates of the run being digested (the warm-up runs), as text; `undefined`: not recorded. */
let forwardedLog: string[] | undefined;

/** The tumbling and hopping counts of stock-analytics' transaction counts, on `lib`'s code. */
function windowCounts(lib: Lib): streams.Topology {
  const { StreamsBuilder, Consumed, Grouped, Materialized, Serdes, Stores, TimeWindows } = lib;
  const b = new StreamsBuilder();
  const grouped = b
    .stream('trades', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey(Grouped.with(Serdes.String(), Serdes.String()));
  const store = (name: string) =>
    Materialized.as<string, number>(
      Stores.inMemoryWindowStore(name, 15 * 60_000, 20_000, false),
    ).withKeySerde(Serdes.String());
  const sink = (w: streams.Windowed<string>, count: number | null) => {
    forwardedLog?.push(`${w.key()}@${w.window().start()}-${w.window().end()}=${count}`);
  };
  grouped
    .windowedBy(TimeWindows.ofSizeAndGrace(20_000, 120_000))
    .count(store('tumbling-store'))
    .toStream()
    .foreach(sink);
  grouped
    .windowedBy(TimeWindows.ofSizeAndGrace(20_000, 120_000).advanceBy(5_000))
    .count(store('hopping-store'))
    .toStream()
    .foreach(sink);
  return b.build();
}

function digestOf(hash: Hash, outputs: Map<string, streams.OutgoingRecord[]>): number {
  let n = 0;
  for (const [topic, q] of outputs)
    for (const r of q) {
      hash.update(`${topic}|${r.timestamp}|`);
      if (r.key) hash.update(r.key);
      hash.update('|');
      if (r.value) hash.update(r.value);
      n++;
    }
  outputs.clear();
  return n;
}

async function run(
  side: Side,
  keys: Buffer[],
  times: number[],
  record = false,
): Promise<{ us: number; gc: string; digest: string; written: number }> {
  forwardedLog = record ? [] : undefined;
  const driver = await side.Driver.create(windowCounts(side.lib), { initialWallClockTimeMs: times[0] });
  const d = internalsOf(driver);
  const value = Buffer.from('t');
  const hash = createHash('sha256');
  let written = 0;
  const n = keys.length;
  const { us, gc } = await timed(n, async () => {
    for (let i = 0; i < n; i++) {
      d.processOne('trades', keys[i]!, value, times[i]!, {});
      if ((i + 1) % COMMIT === 0 || i === n - 1) for (const t of d.tasks) await t.prepareCommit();
    }
  });
  // the outputs of the run (changelog records) are digested outside the timed part
  written += digestOf(hash, d.outputs);
  if (forwardedLog !== undefined) {
    hash.update(forwardedLog.join('\n'));
    written += forwardedLog.length;
    forwardedLog = undefined;
  }
  await driver.close();
  return { us, gc, digest: hash.digest('hex').slice(0, 16), written };
}

/** Keys as the stock generator's: 100 customers by 24 symbols, drawn by a seeded LCG; 10 ms apart. */
function input(): { keys: Buffer[]; times: number[] } {
  const keys: Buffer[] = [];
  const times: number[] = [];
  let x = 1;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  const t0 = Date.parse('2026-03-02T14:30:00.000Z');
  for (let i = 0; i < RECORDS; i++) {
    const customer = (next() >>> 8) % 100;
    const symbol = (next() >>> 8) % 24;
    keys.push(Buffer.from(`C-${String(customer).padStart(4, '0')}|SYM${symbol}`));
    times.push(t0 + 10 * i);
  }
  return { keys, times };
}

async function main(): Promise<void> {
  const { keys, times } = input();
  if (AB_BASE !== undefined) return abRuns(baseSide(AB_BASE), keys, times);
  const us: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const res = await run(THIS, keys, times, r === 0);
    us.push(res.us);
    console.log(
      `run ${r + 1}: ${res.us.toFixed(2)} us CPU per record (per record: ${res.gc}); written ${res.written}, digest ${res.digest}`,
    );
  }
  const counted = us.length > 1 ? us.slice(1) : us;
  console.log(
    `${RECORDS} records, commit every ${COMMIT}: median of runs 2-${us.length} ${median(counted).toFixed(2)} us CPU per record`,
  );
}

/** MICRO_AB_BASE: `base` and this checkout alternately; the warm-up runs digest their output. */
async function abRuns(base: Side, keys: Buffer[], times: number[]): Promise<void> {
  const warm = await alternate(
    base,
    RUNS,
    (side) => run(side, keys, times),
    (r) => `per record: ${r.gc}`,
    (side) => run(side, keys, times, true),
  );
  const [a, b] = [warm.base.digest, warm.this.digest];
  console.log(`digest base ${a} this ${b}${a === b ? ' (same output)' : ' (OUTPUT DIFFERS)'}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
