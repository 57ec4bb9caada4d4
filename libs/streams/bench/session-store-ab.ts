/**
 * `npm run bench:session-store -w @gmart/streams`: the session-window aggregation's store work alone
 * (what `KStreamSessionWindowAggregate` does per record: find the key's sessions within the gap,
 * merge, remove the merged ones, put the new one; a flush like a commit's every MICRO_COMMIT_RECORDS
 * records, through the changelog layer and a flush listener that reads the forwarded key and value)
 * on the in-memory session store with caching and logging, stock-analytics' shape of keys
 * (`customer|symbol`, 100 x 50, 10 ms apart, 20 s gap), metrics at `INFO` (no latency timing, as
 * the application's default). Prints CPU us and allocation per record.
 *
 * MICRO_AB_BASE=<another checkout's libs/streams>: that code and this one run alternately in this
 * process (MICRO_RUNS pairs after a warm-up of each, the order swapped every pair) and the median of
 * the pairs' this/base ratios is printed. Env: MICRO_RECORDS (default 60000), MICRO_RUNS (default 4),
 * MICRO_COMMIT_RECORDS (default 1000), MICRO_CACHE_BYTES (default 10 MiB).
 */
import * as path from 'node:path';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { gcSummary, median } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';
import type { KeyValue } from '../src/state/key-value';
import type { SessionStore } from '../src/state/session-store';
import type { Windowed } from '../src/state/window';
import { BenchContext } from './state/bench-context';

const USAGE = `Usage: npm run bench:session-store -w @gmart/streams

CPU and allocation per record of the session aggregation's store work (find, merge, remove, put,
flush with changelog and listener) on the in-memory session store with caching and logging.

Settings come from the environment: MICRO_RECORDS (default 60000), MICRO_RUNS (default 4),
MICRO_COMMIT_RECORDS (default 1000), MICRO_CACHE_BYTES (default 10 MiB).
MICRO_AB_BASE=<another checkout's libs/streams>: that code and this one alternate in one process.

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench:session-store @gmart/streams', USAGE);

const RECORDS = Number(process.env.MICRO_RECORDS ?? 60_000);
const RUNS = Number(process.env.MICRO_RUNS ?? 4);
const COMMIT = Number(process.env.MICRO_COMMIT_RECORDS ?? 1_000);
const CACHE_BYTES = Number(process.env.MICRO_CACHE_BYTES ?? 10 * 1024 * 1024);
const AB_BASE = process.env.MICRO_AB_BASE;
const GAP = 20_000;

/** The store of a side, as far as the benchmark drives it. */
type BenchStore = SessionStore<string, number> & {
  init(context: BenchContext, root: unknown): Promise<void> | void;
  setFlushListener(listener: (key: Windowed<string>, value: number | null) => void, old: boolean): boolean;
  findSessionsArray?(
    key: string,
    earliestEnd: number,
    latestStart: number,
  ): readonly KeyValue<Windowed<string>, number>[];
};

/** The code a run uses: this checkout's, or (A/B) another's. */
interface Side {
  readonly name: string;
  readonly store: () => BenchStore;
  readonly windowed: (key: string, start: number, end: number) => Windowed<string>;
}

/** The session store and window classes of the checkout at `dir` (its `libs/streams`). */
function side(name: string, dir: string): Side {
  /* eslint-disable @typescript-eslint/no-require-imports -- a checkout's modules, loaded at run time */
  const { Stores } = require(path.resolve(dir, 'src/state/stores')) as typeof import('../src/state/stores');
  const { Serdes } = require(path.resolve(dir, 'src/serialization')) as typeof import('../src/serialization');
  const W = require(path.resolve(dir, 'src/state/window')) as typeof import('../src/state/window');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    name,
    store: () =>
      Stores.sessionStoreBuilder(
        Stores.inMemorySessionStore('counts', 15 * 60_000),
        Serdes.String(),
        Serdes.Long() as unknown as import('../src/serialization').Serde<number>,
      )
        .withCachingEnabled()
        .withLoggingEnabled({})
        .build() as unknown as BenchStore,
    windowed: (key, start, end) => new W.Windowed(key, new W.Window(start, end)),
  };
}

let seed = 7;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const keys: string[] = [];
for (let i = 0; i < RECORDS; i++)
  keys.push(`C-${String(1 + Math.floor(random() * 100)).padStart(4, '0')}|SYM${Math.floor(random() * 50)}`);
const t0 = Date.parse('2026-03-02T14:30:00Z');

async function run(s: Side): Promise<{ us: number; gc: string }> {
  const context = new BenchContext(path.join('/tmp', 'session-store-ab'), CACHE_BYTES);
  (context as { metricsRecordingLevel?: string }).metricsRecordingLevel = 'INFO';
  const store = s.store();
  await store.init(context, store);
  let forwarded = 0;
  store.setFlushListener((k, v) => {
    if (k.key() !== undefined && v !== undefined) forwarded++;
  }, false);
  const profiler = new GCProfiler();
  const usedAtStart = getHeapStatistics().used_heap_size;
  profiler.start();
  const cpu = process.cpuUsage();
  for (let i = 0; i < RECORDS; i++) {
    const key = keys[i]!;
    const ts = t0 + i * 10;
    context.timestamp = ts;
    const found =
      store.findSessionsArray !== undefined
        ? store.findSessionsArray(key, ts - GAP, ts + GAP)
        : [...store.findSessions(key, ts - GAP, ts + GAP)];
    let start = ts;
    let end = ts;
    let count = 0;
    for (const next of found) {
      count += next.value;
      start = Math.min(start, next.key.window().start());
      end = Math.max(end, next.key.window().end());
    }
    if (start !== ts || end !== ts) for (const f of found) store.remove(f.key);
    store.put(s.windowed(key, start, end), count + 1);
    if (i % COMMIT === COMMIT - 1) await store.flush();
  }
  await store.flush();
  const used = process.cpuUsage(cpu);
  const gc = gcSummary(profiler.stop(), usedAtStart, RECORDS);
  await store.close();
  if (forwarded === 0) throw new Error('nothing forwarded');
  return {
    us: (used.user + used.system) / RECORDS,
    gc: `${gc}; logged ${(context.logged / RECORDS).toFixed(3)}, forwarded ${(forwarded / RECORDS).toFixed(3)} per record`,
  };
}

async function main(): Promise<void> {
  const mine = side('this', path.resolve(__dirname, '..'));
  if (AB_BASE === undefined) {
    const us: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const res = await run(mine);
      us.push(res.us);
      console.log(`run ${r + 1}: ${res.us.toFixed(2)} us CPU per record; ${res.gc}`);
    }
    console.log(
      `median of runs 2-${RUNS}: ${median(us.length > 1 ? us.slice(1) : us).toFixed(2)} us CPU per record`,
    );
    return;
  }
  const base = side('base', AB_BASE);
  for (const s of [base, mine]) await run(s);
  const us: Record<string, number[]> = { base: [], this: [] };
  const ratios: number[] = [];
  for (let p = 1; p <= RUNS; p++) {
    const pair: Record<string, number> = {};
    for (const s of p % 2 === 1 ? [base, mine] : [mine, base]) {
      const res = await run(s);
      pair[s.name] = res.us;
      us[s.name]!.push(res.us);
      console.log(`pair ${p} ${s.name}: ${res.us.toFixed(2)} us CPU per record; ${res.gc}`);
    }
    ratios.push(pair.this! / pair.base!);
  }
  console.log(
    `${RECORDS} records, flush every ${COMMIT}, cache ${CACHE_BYTES} bytes: base median ${median(us.base!).toFixed(2)}, this median ${median(us.this!).toFixed(2)} us CPU per record; this/base per pair: median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
