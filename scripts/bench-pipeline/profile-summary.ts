/**
 * `npm run bench:profile-summary -- --dir <dir> [--top <n>] [--by function|file]`: where the CPU time of
 * a `bench:pipeline --profile <dir>` run went. For every run of the manifest (./profile-manifest.ts)
 * and every process with a profile (`CPU.<date>.<time>.<pid>.<n>.cpuprofile`), only the samples of
 * the timed window count (not start-up, warm-up or shutdown): the process's sampled CPU time per
 * timed record (idle left out) and the `--top` functions (or files) by self time per record, or with
 * `--by total` the functions by total time (their own and their callees'): what a stage costs. With
 * `--idle <ms>`, when each process's main thread was idle instead (./idle-timeline.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, parseFlags, runCommandLine } from '@gmart/command-line';
import { PROFILE_MANIFEST, type ProfiledRun } from './profile-manifest';
import { idleTimeline, type ProfileSamples as CpuProfile } from './idle-timeline';

/** Frames that are not CPU work of the process. */
const NOT_WORK = new Set(['(idle)']);

/** Shortens a frame's URL to the repository or package path. */
function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const m = /\/(libs|apps|scripts)\/.*$/.exec(url);
  return m ? m[0].slice(1) : url;
}

/** What a sample is counted for: the function or file it is in, or every function on its stack. */
export type SummaryBy = 'function' | 'file' | 'total';

/**
 * The functions on the stack of each profile node, each once (a recursive function's time is
 * counted once per sample): `--by total` adds a sample's time to every one of them.
 */
function stackKeys(profile: CpuProfile, frameKey: Map<number, string>): Map<number, string[]> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const roots = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(root)').map((n) => n.id));
  const stacks = new Map<number, string[]>();
  const stackOf = (id: number): string[] => {
    const known = stacks.get(id);
    if (known) return known;
    // Iteratively up to the first node whose stack is known (profiles can be deep).
    const path: number[] = [];
    let at: number | undefined = id;
    while (at !== undefined && !stacks.has(at)) {
      path.push(at);
      at = parent.get(at);
    }
    let below = at === undefined ? [] : stacks.get(at)!;
    for (let i = path.length - 1; i >= 0; i--) {
      const key = frameKey.get(path[i]!)!;
      // The root frame holds every sample: not a stage.
      if (!roots.has(path[i]!)) below = below.includes(key) ? below : [...below, key];
      stacks.set(path[i]!, below);
    }
    return stacks.get(id)!;
  };
  for (const n of profile.nodes) stackOf(n.id);
  return stacks;
}

/**
 * Time (µs) by key over the samples within [startUs, endUs]: self time by function or file, or
 * with `by` `total` the total time of every function (its samples and its callees'); `total`
 * excludes idle.
 */
export function selfTimes(
  profile: CpuProfile,
  startUs: number,
  endUs: number,
  by: SummaryBy,
): { total: number; idle: number; byKey: Map<string, number> } {
  const keys = new Map<number, string>();
  const idleIds = new Set<number>();
  for (const n of profile.nodes) {
    if (NOT_WORK.has(n.callFrame.functionName)) idleIds.add(n.id);
    const f = n.callFrame;
    const url = shortUrl(f.url);
    keys.set(
      n.id,
      by === 'file' ? url || f.functionName : `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`,
    );
  }
  const stacks = by === 'total' ? stackKeys(profile, keys) : undefined;
  const byKey = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < startUs || t > endUs) continue;
    if (idleIds.has(profile.samples[i]!)) {
      idle += delta;
      continue;
    }
    total += delta;
    if (stacks) {
      for (const key of stacks.get(profile.samples[i]!)!) byKey.set(key, (byKey.get(key) ?? 0) + delta);
      continue;
    }
    const key = keys.get(profile.samples[i]!)!;
    byKey.set(key, (byKey.get(key) ?? 0) + delta);
  }
  return { total, idle, byKey };
}

const USAGE = `Usage: npm run bench:profile-summary -- --dir <dir> [--top <n>] [--by function|file|total] [--idle <ms>] [--process <name>]

Where the CPU time of a \`npm run bench:pipeline -- --profile <dir>\` run went: per run and process,
sampled CPU microseconds per timed record and the top functions (or files) by self time.

  --dir <dir>   the directory given to bench:pipeline --profile (required)
  --top <n>     how many functions or files per process (default 25)
  --by <what>   function (default) or file: self time; total: each function's total time, its
                own and its callees' (a recursive function counted once per sample), so what a
                stage costs (a serializer with what it calls, a processor node with its
                downstream); the shares then add up to more than 100 %
  --idle <ms>   instead of the functions: when each process's main thread was idle (its event loop
                waiting for input, acknowledgements, commits, a timer), per bucket of <ms> of the
                timed window (idle, GC and other sampled ms), and every idle stretch of at least
                --idle-min ms (default 2) with what ran before it and what woke the thread
  --process <name>  only this process of each run (a service's name, broker, bench)
  -h, --help    show this help
`;

/** The checked command line. */
interface SummaryFlags {
  readonly help: boolean;
  readonly dir: string;
  readonly top: number;
  readonly by: SummaryBy;
  /** Bucket of the idle timeline (ms), or undefined: the functions. */
  readonly idleBucketMs?: number;
  readonly idleMinMs: number;
  /** Only the processes of this name (`coupon-join`, `broker`, ...), or every one. */
  readonly process?: string;
}

function parseSummaryFlags(argv: string[]): SummaryFlags {
  const { values, help } = parseFlags(argv, ['dir', 'top', 'by', 'idle', 'idle-min', 'process']);
  if (help) return { help, dir: '', top: 0, by: 'function', idleMinMs: 0 };
  if (!values.dir) throw new UsageError('--dir is required');
  const top = Number(values.top ?? 25);
  if (!Number.isInteger(top) || top < 1)
    throw new UsageError(`--top must be a positive integer, got '${values.top}'`);
  const by = values.by ?? 'function';
  if (by !== 'function' && by !== 'file' && by !== 'total')
    throw new UsageError(`--by must be function, file or total, got '${by}'`);
  const positive = (flag: string, v: string | undefined, fallback?: number): number | undefined => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`--${flag} must be a positive number, got '${v}'`);
    return n;
  };
  return {
    help,
    dir: values.dir,
    top,
    by,
    idleBucketMs: positive('idle', values.idle),
    idleMinMs: positive('idle-min', values['idle-min'], 2)!,
    process: values.process,
  };
}

function main(argv: string[]): void {
  const {
    dir,
    top,
    by,
    idleBucketMs,
    idleMinMs,
    process: only,
  } = runCommandLine('bench:profile-summary', USAGE, () => parseSummaryFlags(argv), [UsageError]);
  const runs = fs
    .readFileSync(path.join(dir, PROFILE_MANIFEST), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ProfiledRun);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const run of runs) {
    const seconds = (run.endUs - run.startUs) / 1e6;
    console.log(
      `\n== ${run.case} [${run.client}${run.guarantee ? `, ${run.guarantee}` : ''}] run ${run.run}: ` +
        `${run.records} records in ${seconds.toFixed(2)} s`,
    );
    for (const [name, pid] of Object.entries(run.pids)) {
      if (only !== undefined && name !== only) continue;
      const file = files.find((f) => f.split('.')[3] === String(pid));
      if (!file) continue;
      const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
      if (idleBucketMs !== undefined) {
        printIdle(name, pid, profile, run, idleBucketMs, idleMinMs);
        continue;
      }
      const { total, idle, byKey } = selfTimes(profile, run.startUs, run.endUs, by);
      const perRecord = (us: number) => (us / run.records).toFixed(2);
      console.log(
        `-- ${name} (pid ${pid}): ${perRecord(total)} µs/record sampled CPU, ` +
          `idle ${((idle / (total + idle || 1)) * 100).toFixed(0)} % of the window`,
      );
      for (const [key, us] of [...byKey].sort((a, b) => b[1] - a[1]).slice(0, top))
        console.log(
          `${perRecord(us).padStart(8)} ${((us / (total || 1)) * 100).toFixed(1).padStart(5)} %  ${key}`,
        );
    }
  }
}

/** The idle timeline of one process in one run (see ./idle-timeline.ts). */
function printIdle(
  name: string,
  pid: number,
  profile: CpuProfile,
  run: ProfiledRun,
  bucketMs: number,
  minMs: number,
): void {
  const t = idleTimeline(profile, run.startUs, run.endUs, bucketMs, minMs);
  const ms = (x: number) => x.toFixed(1).padStart(6);
  console.log(
    `-- ${name} (pid ${pid}): main thread idle ${t.idleMs.toFixed(0)} of ${t.windowMs.toFixed(0)} ms ` +
      `(${((t.idleMs / (t.windowMs || 1)) * 100).toFixed(0)} %); per ${bucketMs} ms: idle, GC, other (sampled ms)`,
  );
  for (const b of t.buckets)
    console.log(`${b.atMs.toFixed(0).padStart(7)} ms ${ms(b.idleMs)} ${ms(b.gcMs)} ${ms(b.busyMs)}`);
  console.log(`   idle stretches of ${minMs} ms or more (${t.stretches.length}):`);
  for (const s of t.stretches)
    console.log(
      `${s.atMs.toFixed(1).padStart(9)} ms idle ${ms(s.ms)} ms\n      after:  ${s.before}\n      woken:  ${s.after}`,
    );
}

main(process.argv.slice(2));
