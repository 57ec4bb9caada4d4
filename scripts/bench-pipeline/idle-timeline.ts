/**
 * When a profiled process's main thread was idle (its event loop waiting: for input, acknowledgements,
 * commits, a due timer) over a timed window, from the `(idle)` samples of its V8 CPU profile: idle,
 * GC and other time per bucket of the window, and each idle stretch of at least a given length with
 * the JavaScript it came after and what woke the thread (the first frames sampled after it). The
 * profiler samples on its own thread, so a main thread waiting for a CPU is not idle here: its
 * samples stay in what it was running.
 */

/** The parts of a V8 `.cpuprofile` read here. */
export interface ProfileSamples {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One bucket of the window: sampled ms idle, in V8's garbage collector, and anything else. */
export interface IdleBucket {
  /** Start of the bucket, ms from the start of the window. */
  readonly atMs: number;
  idleMs: number;
  gcMs: number;
  busyMs: number;
}

/** An idle stretch: when it started (ms into the window), how long it lasted, what came before and after. */
export interface IdleStretch {
  readonly atMs: number;
  readonly ms: number;
  /** Innermost frames of the last sample before it (innermost first), `file:line` shortened. */
  readonly before: string;
  /** Innermost frames of the first sample after it: what woke the thread. */
  readonly after: string;
}

/** The idle timeline of one process over one window. */
export interface IdleTimeline {
  readonly buckets: IdleBucket[];
  readonly stretches: IdleStretch[];
  readonly idleMs: number;
  readonly windowMs: number;
}

const IDLE = '(idle)';
const GC = '(garbage collector)';

/** The frame `f` as `function file:line`, the file's path from `libs/`, `apps/`, or the package. */
function frameText(f: { functionName: string; url: string; lineNumber: number }): string {
  const nm = f.url.lastIndexOf('node_modules/');
  const m = /\/(libs|apps|scripts)\/.*$/.exec(f.url);
  const file = nm >= 0 ? f.url.slice(nm + 'node_modules/'.length) : m ? m[0].slice(1) : f.url;
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

/**
 * The idle timeline of `profile` between `startUs` and `endUs` (the profile's clock: the manifest's
 * timed window), in buckets of `bucketMs`, with the idle stretches of at least `minStretchMs`; the
 * frames of a stretch's neighbours are the `depth` innermost ones.
 */
export function idleTimeline(
  profile: ProfileSamples,
  startUs: number,
  endUs: number,
  bucketMs: number,
  minStretchMs: number,
  depth = 4,
): IdleTimeline {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackText = (id: number | undefined): string => {
    const frames: string[] = [];
    for (let at = id; at !== undefined && frames.length < depth; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (f && f.functionName !== '(root)') frames.push(frameText(f));
    }
    return frames.join(' < ') || '(none)';
  };
  const windowMs = (endUs - startUs) / 1000;
  const buckets: IdleBucket[] = [];
  for (let at = 0; at < windowMs; at += bucketMs) buckets.push({ atMs: at, idleMs: 0, gcMs: 0, busyMs: 0 });
  const stretches: IdleStretch[] = [];
  let idleMs = 0;
  let t = profile.startTime;
  let previous: number | undefined;
  /** The running idle stretch: where it started (ms into the window) and the sample before it. */
  let stretch: { atMs: number; before: number | undefined } | undefined;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    const id = profile.samples[i]!;
    if (t < startUs || t > endUs) {
      previous = id;
      continue;
    }
    const atMs = (t - startUs) / 1000;
    const name = byId.get(id)?.callFrame.functionName;
    const bucket = buckets[Math.min(buckets.length - 1, Math.floor(atMs / bucketMs))]!;
    const ms = delta / 1000;
    if (name === IDLE) {
      bucket.idleMs += ms;
      idleMs += ms;
      // A sample's delta is the time since the sample before: the stretch began then.
      stretch ??= { atMs: atMs - ms, before: previous };
    } else {
      if (name === GC) bucket.gcMs += ms;
      else bucket.busyMs += ms;
      if (stretch !== undefined) {
        const length = atMs - ms - stretch.atMs;
        if (length >= minStretchMs)
          stretches.push({
            atMs: stretch.atMs,
            ms: length,
            before: stackText(stretch.before),
            after: stackText(id),
          });
        stretch = undefined;
      }
    }
    previous = id;
  }
  if (stretch !== undefined && windowMs - stretch.atMs >= minStretchMs)
    stretches.push({
      atMs: stretch.atMs,
      ms: windowMs - stretch.atMs,
      before: stackText(stretch.before),
      after: '(end of window)',
    });
  return { buckets, stretches, idleMs, windowMs };
}
