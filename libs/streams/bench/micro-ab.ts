/**
 * What the test-driver micro-benchmarks (`bench:window-micro`, `bench:session-micro`) share: the
 * library code a run uses (this checkout's, or with MICRO_AB_BASE another checkout's, loaded at run
 * time), the test driver's internals they drive, the timed window (CPU and GC per record), and the
 * A/B loop that alternates the two codes in one process, so a shared machine's drift hits both alike.
 */
import * as path from 'node:path';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { type DriverInternals as BenchDriverInternals, gcSummary, median } from '@gmart/bench-support';
import * as streams from '../src';
import { TopologyTestDriver } from '../src/testing';

/** The library code a run uses. */
export interface Side {
  readonly name: 'this' | 'base';
  readonly Driver: typeof TopologyTestDriver;
  readonly lib: typeof streams;
}

/** This checkout's code. */
export const THIS: Side = { name: 'this', Driver: TopologyTestDriver, lib: streams };

/** The code of the checkout whose `libs/streams` directory is `dir`. */
export function baseSide(dir: string): Side {
  /* eslint-disable @typescript-eslint/no-require-imports -- another checkout's modules, loaded at run time */
  const testing = require(path.resolve(dir, 'src/testing')) as {
    TopologyTestDriver: typeof TopologyTestDriver;
  };
  const lib = require(path.resolve(dir, 'src')) as typeof streams;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { name: 'base', Driver: testing.TopologyTestDriver, lib };
}

/** The test driver's internals the micro-benchmarks drive (records to the tasks, commits at will). */
export type DriverInternals = BenchDriverInternals<streams.OutgoingRecord>;

/** `driver`'s internals (see {@link DriverInternals}). */
export function internalsOf(driver: TopologyTestDriver): DriverInternals {
  return driver as unknown as DriverInternals;
}

/** Runs `body` over `n` records: its CPU µs per record and its garbage collections ({@link gcSummary}). */
export async function timed(n: number, body: () => Promise<void>): Promise<{ us: number; gc: string }> {
  const profiler = new GCProfiler();
  const usedAtStart = getHeapStatistics().used_heap_size;
  profiler.start();
  const start = process.cpuUsage();
  await body();
  const used = process.cpuUsage(start);
  return { us: (used.user + used.system) / n, gc: gcSummary(profiler.stop(), usedAtStart, n) };
}

/**
 * MICRO_AB_BASE's loop: a warm-up run of `base` then of this checkout (with `warmUp`, e.g. one that
 * also digests the output; their results are returned), then `pairs` pairs of `run`, the order
 * alternating, each line described by `describe`; prints both medians and the median this/base ratio.
 */
export async function alternate<R extends { us: number }>(
  base: Side,
  pairs: number,
  run: (side: Side) => Promise<R>,
  describe: (r: R) => string,
  warmUp: (side: Side) => Promise<R> = run,
): Promise<Record<Side['name'], R>> {
  const warm = { base: await warmUp(base), this: await warmUp(THIS) };
  const us: Record<Side['name'], number[]> = { base: [], this: [] };
  const ratios: number[] = [];
  for (let p = 1; p <= pairs; p++) {
    const pair: Partial<Record<Side['name'], number>> = {};
    for (const side of p % 2 === 1 ? [base, THIS] : [THIS, base]) {
      const res = await run(side);
      pair[side.name] = res.us;
      us[side.name].push(res.us);
      console.log(`pair ${p} ${side.name}: ${res.us.toFixed(2)} us CPU per record; ${describe(res)}`);
    }
    ratios.push(pair.this! / pair.base!);
  }
  console.log(
    `base median ${median(us.base).toFixed(2)}, this median ${median(us.this).toFixed(2)} us CPU per record; this/base per pair: median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`,
  );
  return warm;
}
