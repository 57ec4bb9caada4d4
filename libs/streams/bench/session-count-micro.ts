/**
 * `npm run bench:session-micro -w @gmart/streams`: the CPU and allocation per record of a
 * session-windowed count (stock-analytics' session transaction count: `groupByKey`, 20 s inactivity
 * gap, 2 min grace, an in-memory session store with the record cache and a changelog, then
 * `toStream().to(...)`) without a broker. Keys are `customer|symbol` (100 customers x 50 symbols,
 * picked at random), 10 ms apart in event time, so a key comes back about every 50 s: most records
 * open a new session, some merge with one. The records go through the test driver's tasks (the
 * runtime's `StreamTask`, stores, record cache, changelog, serdes) with a commit (each task's
 * `prepareCommit`) every MICRO_COMMIT_RECORDS records, as the 100 ms commit interval flushes the
 * cache end to end. Prints CPU us per record (median of MICRO_RUNS, the first not counted), records
 * written per record, topic by topic, the garbage collections per record and a digest of every record
 * written (changelog and output, topic by topic in order: key, value, timestamp, headers), which an
 * A/B prints for both sides: a change that alters nothing emitted keeps it.
 *
 * Env: MICRO_RECORDS (default 60000), MICRO_RUNS (default 4), MICRO_COMMIT_RECORDS (default 1000),
 * MICRO_GAP_MS (default 20000), MICRO_CACHE_BYTES (the record cache, default Kafka Streams' 10 MiB;
 * end to end the session store shares it with the tumbling and hopping counts, so about 2 MiB of
 * it, which keeps evicting, is closer to what the session cache gets there). MICRO_AB_BASE (the `libs/streams` directory of another checkout,
 * e.g. a `git archive` with `node_modules` linked to this one's): its code and this one's run
 * alternately in this process (MICRO_RUNS pairs after a warm-up run of each, the order swapped every
 * pair), and the median of the pairs' this/base ratios is printed.
 */
import { createHash } from 'node:crypto';
import { median } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';
import type * as streams from '../src';
import { alternate, baseSide, internalsOf, type Side, THIS, timed } from './micro-ab';

const USAGE = `Usage: npm run bench:session-micro -w @gmart/streams

CPU and allocation per record of a session-windowed count (in-memory session store, record cache,
changelog) without a broker: the test driver's tasks with a commit every MICRO_COMMIT_RECORDS records.

Settings come from the environment: MICRO_RECORDS (default 60000), MICRO_RUNS (default 4, the first
not counted), MICRO_COMMIT_RECORDS (default 1000), MICRO_GAP_MS (default 20000), MICRO_CACHE_BYTES
(default 10 MiB).
MICRO_AB_BASE=<another checkout's libs/streams>: that code and this one alternate in one process,
MICRO_RUNS pairs after a warm-up of each; prints the median this/base ratio.

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench:session-micro @gmart/streams', USAGE);

const RECORDS = Number(process.env.MICRO_RECORDS ?? 60_000);
const RUNS = Number(process.env.MICRO_RUNS ?? 4);
const COMMIT = Number(process.env.MICRO_COMMIT_RECORDS ?? 1_000);
const GAP_MS = Number(process.env.MICRO_GAP_MS ?? 20_000);
const AB_BASE = process.env.MICRO_AB_BASE;
const CACHE_BYTES =
  process.env.MICRO_CACHE_BYTES === undefined ? undefined : Number(process.env.MICRO_CACHE_BYTES);

type Streams = typeof streams;

/** stock-analytics' session count on a side's code. */
function topology(s: Streams): streams.Topology {
  const S = s.Serdes.String();
  const b = new s.StreamsBuilder();
  b.stream('trades', s.Consumed.with(S, S))
    .groupByKey(s.Grouped.with(S, S))
    .windowedBy(s.SessionWindows.ofInactivityGapAndGrace(GAP_MS, 120_000))
    .count(s.Materialized.as<string, number>(s.Stores.inMemorySessionStore('session-counts', 15 * 60_000)))
    .toStream()
    .map((w: streams.Windowed<string>, c: number | null) =>
      s.KeyValue.pair(w.key(), `${w.window().start()}-${w.window().end()}:${c}`),
    )
    .to('session-counts-out', s.Produced.with(S, S));
  return b.build();
}

async function run(
  side: Side,
  keys: Buffer[],
  value: Buffer,
  times: number[],
): Promise<{ us: number; written: string; gc: string; digest: string }> {
  const driver = await side.Driver.create(topology(side.lib), {
    initialWallClockTimeMs: times[0],
    ...(CACHE_BYTES !== undefined ? { cacheMaxBytesBuffering: CACHE_BYTES } : {}),
  });
  const d = internalsOf(driver);
  const written = new Map<string, number>();
  const digests = new Map<string, ReturnType<typeof createHash>>();
  const drainPending = () => {
    while (d.pending.length) {
      for (const r of d.pending.splice(0)) d.processOne(r.topic, r.key, r.value, r.timestamp, r.headers);
    }
  };
  const count = () => {
    for (const [t, q] of d.outputs) {
      written.set(t, (written.get(t) ?? 0) + q.length);
      let h = digests.get(t);
      if (h === undefined) digests.set(t, (h = createHash('sha256')));
      for (const r of q)
        h.update(
          `${r.key?.toString('hex')}:${r.value?.toString('hex')}@${r.timestamp}${JSON.stringify(r.headers)};`,
        );
    }
    d.outputs.clear();
  };
  const n = keys.length;
  const { us, gc } = await timed(n, async () => {
    for (let i = 0; i < n; i++) {
      d.processOne('trades', keys[i]!, value, times[i]!, {});
      if ((i + 1) % COMMIT === 0 || i === n - 1) {
        drainPending();
        for (;;) {
          for (const t of d.tasks) await t.prepareCommit();
          if (d.pending.length === 0) break;
          drainPending();
        }
        count();
      }
    }
  });
  count();
  const digest = createHash('sha256');
  for (const t of [...digests.keys()].sort()) digest.update(`${t}=${digests.get(t)!.digest('hex')};`);
  await driver.close();
  const parts = [...written].map(([t, c]) => `${t.replace('test-driver-', '')} ${(c / n).toFixed(3)}`);
  return {
    us,
    written: parts.join(', '),
    gc,
    digest: digest.digest('hex').slice(0, 16),
  };
}

async function main(): Promise<void> {
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const t0 = Date.parse('2026-03-02T14:30:00Z');
  const keys: Buffer[] = [];
  const times: number[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const customer = `C-${String(1 + Math.floor(random() * 100)).padStart(4, '0')}`;
    keys.push(Buffer.from(`${customer}|SYM${Math.floor(random() * 50)}`));
    times.push(t0 + i * 10);
  }
  const value = Buffer.from('t');
  if (AB_BASE !== undefined) return abRuns(baseSide(AB_BASE), keys, value, times);
  const us: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const res = await run(THIS, keys, value, times);
    us.push(res.us);
    console.log(
      `run ${r + 1}: ${res.us.toFixed(2)} us CPU per record; written per record: ${res.written}; GC per record: ${res.gc}; digest ${res.digest}`,
    );
  }
  const counted = us.length > 1 ? us.slice(1) : us;
  console.log(
    `${RECORDS} records, commit every ${COMMIT}, cache ${CACHE_BYTES ?? 'default'} bytes: median of runs 2-${us.length} ${median(counted).toFixed(2)} us CPU per record`,
  );
}

/** MICRO_AB_BASE: `base` and this checkout alternately, MICRO_RUNS pairs after a warm-up run of each. */
async function abRuns(base: Side, keys: Buffer[], value: Buffer, times: number[]): Promise<void> {
  await alternate(
    base,
    RUNS,
    (side) => run(side, keys, value, times),
    (r) => `written per record: ${r.written}; GC per record: ${r.gc}; digest ${r.digest}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
