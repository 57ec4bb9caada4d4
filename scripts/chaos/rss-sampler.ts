import * as fs from 'node:fs';

/** Resident set size of process `pid` in MiB (from `/proc/<pid>/status`), or undefined when it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the RSS of the processes `pids()` returns every `intervalMs` and keeps the largest
 * (Linux `/proc`). {@link stop} returns the peak in MiB (0 when nothing was sampled).
 */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: () => ReadonlyArray<number | undefined>,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  /** The largest RSS seen so far, in MiB. */
  get peakMb(): number {
    return this.peak;
  }

  /** Restarts the peak from now (e.g. a baseline before an outage). */
  reset(): void {
    this.peak = 0;
    this.sample();
  }

  private sample(): void {
    for (const pid of this.pids()) {
      if (pid === undefined) continue;
      const mb = rssMb(pid);
      if (mb !== undefined && mb > this.peak) this.peak = mb;
    }
  }

  /** Stops sampling; the peak in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}
