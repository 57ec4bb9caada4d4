/**
 * `npm run bench:table-micro -w @gmart/streams`: the CPU per input record of case (6)'s topology
 * (a source table grouped into 97 groups and aggregated with adder and subtractor) without a broker:
 * the records go through the test driver's tasks (the runtime's `StreamTask`, stores, record cache,
 * serdes and repartition serialization) with a commit (each task's `flushCache`) every
 * MICRO_COMMIT_RECORDS input records instead of the driver's flush per record, so the record cache
 * fills and evicts as in the end-to-end case. Kafka's produce and fetch are left out. Prints the
 * CPU per input record (median of MICRO_RUNS), the records written per input, topic by topic, and
 * the run's garbage collections per input record (bytes allocated, bytes surviving young
 * collections: load-independent, unlike the CPU time on a shared machine).
 * Env: MICRO_KEYS (default 100000; each written twice), MICRO_RUNS (default 4; the first warms up and is not counted),
 * MICRO_COMMIT_RECORDS (default 40000: the source table fills the 10 MiB cache before the first
 * commit, so the aggregate's cache is starved, as in the quiet end-to-end runs), MICRO_CACHING (on|off).
 * MICRO_AB_BASE (the `libs/streams` directory of another checkout, e.g. a `git archive` of main with
 * `node_modules` linked to this one's): its code and this one's run alternately in this process
 * (MICRO_RUNS pairs after a warm-up run of each, the order swapped every pair), and the median of the
 * pairs' this/base ratios is printed: a same-minutes A/B on a shared machine. MICRO_AB_BASE_CACHING
 * (on|off, default MICRO_CACHING) sets the base side's caching (this checkout caching on against off).
 */
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { driverInternals, benchPurchase, gcSummary, median } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';
import * as path from 'node:path';
import type { Topology } from '../src';
import { TopologyTestDriver } from '../src/testing';
import { tableAggregateTopology } from './table-aggregate-topology';

const USAGE = `Usage: npm run bench:table-micro -w @gmart/streams

CPU per input record of the (6) KGroupedTable.aggregate topology without a broker: the test driver's
tasks with a commit every MICRO_COMMIT_RECORDS input records, so the record cache fills and evicts.

Settings come from the environment: MICRO_KEYS (default 100000, each written twice), MICRO_RUNS
(default 4, the first not counted), MICRO_COMMIT_RECORDS (default 40000), MICRO_CACHING (on|off, default on).
MICRO_AB_BASE=<another checkout's libs/streams>: that code and this one alternate in one process,
MICRO_RUNS pairs after a warm-up of each; prints the median this/base ratio. MICRO_AB_BASE_CACHING
(on|off) sets the base side's caching.

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench:table-micro @gmart/streams', USAGE);

const KEYS = Number(process.env.MICRO_KEYS ?? 100_000);
const RUNS = Number(process.env.MICRO_RUNS ?? 4);
const COMMIT = Number(process.env.MICRO_COMMIT_RECORDS ?? 40_000);
const CACHED = (process.env.MICRO_CACHING ?? 'on') === 'on';
const AB_BASE = process.env.MICRO_AB_BASE;
const BASE_CACHED = (process.env.MICRO_AB_BASE_CACHING ?? (CACHED ? 'on' : 'off')) === 'on';

/** The code a run uses: this checkout's, or (A/B) another's, with its own caching setting. */
interface Side {
  readonly name: string;
  readonly Driver: typeof TopologyTestDriver;
  readonly topology: () => Topology;
}

/** Case (6)'s topology, as the streams bench builds it, on this checkout's code. */
const THIS: Side = {
  name: 'this',
  Driver: TopologyTestDriver,
  topology: () => tableAggregateTopology('t-in', 't-out', CACHED),
};

/** The same on the code of the checkout at `dir` (its `libs/streams`). */
function baseSide(dir: string): Side {
  /* eslint-disable @typescript-eslint/no-require-imports -- another checkout's modules, loaded at run time */
  const testing = require(path.resolve(dir, 'src/testing')) as {
    TopologyTestDriver: typeof TopologyTestDriver;
  };
  const topo = require(path.resolve(dir, 'bench/table-aggregate-topology')) as {
    tableAggregateTopology: typeof tableAggregateTopology;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    name: 'base',
    Driver: testing.TopologyTestDriver,
    topology: () => topo.tableAggregateTopology('t-in', 't-out', BASE_CACHED),
  };
}

async function run(
  side: Side,
  keys: Buffer[],
  values: Buffer[],
): Promise<{ us: number; written: string; gc: string }> {
  const driver = await side.Driver.create(side.topology());
  const d = driverInternals(driver);
  const written = new Map<string, number>();
  const drainPending = () => {
    // in arrival order; taken a batch at a time (a commit's flush queues tens of thousands)
    while (d.pending.length) {
      for (const r of d.pending.splice(0)) d.processOne(r.topic, r.key, r.value, r.timestamp, r.headers);
    }
  };
  const count = () => {
    for (const [t, q] of d.outputs) written.set(t, (written.get(t) ?? 0) + q.length);
    d.outputs.clear();
  };
  const n = keys.length;
  const profiler = new GCProfiler();
  const usedAtStart = getHeapStatistics().used_heap_size;
  profiler.start();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    d.processOne('t-in', keys[i], values[i], 1_000 + i, {});
    drainPending();
    if ((i + 1) % COMMIT === 0 || i === n - 1) {
      for (;;) {
        for (const t of d.tasks) await t.prepareCommit();
        if (d.pending.length === 0) break;
        drainPending();
      }
    }
    if ((i & 1023) === 0) count();
  }
  const used = process.cpuUsage(start);
  const gc = gcSummary(profiler.stop(), usedAtStart, n);
  count();
  await driver.close();
  const parts = [...written].map(([t, c]) => `${t.replace('test-driver-', '')} ${(c / n).toFixed(2)}`);
  return { us: (used.user + used.system) / n, written: parts.join(', '), gc };
}

async function main(): Promise<void> {
  const n = 2 * KEYS;
  const keys: Buffer[] = [];
  const values: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    keys.push(Buffer.from(`row-${i % KEYS}`));
    values.push(Buffer.from(JSON.stringify(benchPurchase(i))));
  }
  if (AB_BASE !== undefined) return abRuns(baseSide(AB_BASE), keys, values);
  const us: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const res = await run(THIS, keys, values);
    us.push(res.us);
    console.log(
      `run ${r + 1}: ${res.us.toFixed(2)} us CPU per input record; written per input: ${res.written}; GC per input record: ${res.gc}`,
    );
  }
  // The first run warms the JIT up and is left out of the median (when there are others).
  const counted = us.length > 1 ? us.slice(1) : us;
  console.log(
    `caching ${CACHED ? 'on' : 'off'}, ${n} records, commit every ${COMMIT}: median of runs 2-${us.length} ${median(counted).toFixed(2)} us CPU per input record`,
  );
}

/** MICRO_AB_BASE: `base` and this checkout alternately, MICRO_RUNS pairs after a warm-up run of each. */
async function abRuns(base: Side, keys: Buffer[], values: Buffer[]): Promise<void> {
  for (const side of [base, THIS]) await run(side, keys, values);
  const us: Record<string, number[]> = { base: [], this: [] };
  const ratios: number[] = [];
  for (let p = 1; p <= RUNS; p++) {
    const pair: Record<string, number> = {};
    for (const side of p % 2 === 1 ? [base, THIS] : [THIS, base]) {
      const res = await run(side, keys, values);
      pair[side.name] = res.us;
      us[side.name]!.push(res.us);
      console.log(
        `pair ${p} ${side.name}: ${res.us.toFixed(2)} us CPU per input record; GC per input record: ${res.gc}`,
      );
    }
    ratios.push(pair.this! / pair.base!);
  }
  console.log(
    `base (caching ${BASE_CACHED ? 'on' : 'off'}) median ${median(us.base!).toFixed(2)}, this (caching ${CACHED ? 'on' : 'off'}) median ${median(us.this!).toFixed(2)} us CPU per input record; this/base per pair: median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
