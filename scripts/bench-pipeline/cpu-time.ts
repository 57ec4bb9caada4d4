import * as fs from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS = 100;

/** utime + stime of a `/proc/.../stat` file, in seconds; `undefined` when it cannot be read. */
function statSeconds(file: string): number | undefined {
  try {
    const stat = fs.readFileSync(file, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system) a process has used so far, all its threads, from `/proc/<pid>/stat`;
 * `undefined` where there is no `/proc` (the bench then prints no CPU column).
 */
export function cpuSecondsOf(pid: number): number | undefined {
  return statSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds (user + system) of a process's main thread alone (`/proc/<pid>/task/<pid>/stat`): a
 * Node process's JavaScript, and the GC work V8 does on that thread. The rest of
 * {@link cpuSecondsOf} is V8's worker threads (parallel and concurrent GC, background compilation),
 * libuv's thread pool and native add-ons' threads.
 */
export function mainThreadCpuSecondsOf(pid: number): number | undefined {
  return statSeconds(`/proc/${pid}/task/${pid}/stat`);
}

/** A thread's scheduler times so far (`/proc/.../schedstat`), in seconds. */
export interface SchedTimes {
  /** On a CPU. */
  readonly ran: number;
  /** Runnable, waiting in a run queue for a CPU (other processes had them). */
  readonly waited: number;
}

/**
 * Scheduler times of a process's main thread (`/proc/<pid>/task/<pid>/schedstat`: time on a CPU
 * and time runnable in a run queue, ns); `undefined` where it cannot be read. Over an interval,
 * the rest of the wall time the thread slept: it had nothing to do (no input, waiting for
 * acknowledgements, commits, repartition records). On a loaded machine `waited` tells a thread
 * starved of CPU from one waiting for work, which CPU time alone cannot.
 */
export function mainThreadSchedOf(pid: number): SchedTimes | undefined {
  try {
    const [ran, waited] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
    const r = Number(ran) / 1e9;
    const w = Number(waited) / 1e9;
    return Number.isFinite(r) && Number.isFinite(w) ? { ran: r, waited: w } : undefined;
  } catch {
    return undefined;
  }
}
