import * as fs from 'node:fs';

/**
 * Resident set size of a process in bytes (`VmRSS` of `/proc/<pid>/status`), or undefined when the
 * process is gone. Linux only: the soak checks `/proc` before it starts.
 */
export function rssOf(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process by kind, in bytes (`/proc/<pid>/status`). */
export interface ResidentMemory {
  /** `VmRSS`: all resident pages. */
  readonly rss: number;
  /** `RssAnon`: anonymous pages (heaps, buffers): what a leak grows. */
  readonly rssAnon?: number;
  /**
   * `RssFile`: file-backed pages (code, and memory-mapped files such as LMDB stores, which grow with
   * the stored data and shrink when the kernel reclaims them).
   */
  readonly rssFile?: number;
}

/** `VmRSS`, `RssAnon` and `RssFile` of a process, or undefined when it is gone (Linux only). */
export function residentMemoryOf(pid: number): ResidentMemory | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const rss = kb('VmRSS');
  if (rss === undefined) return undefined;
  const rssAnon = kb('RssAnon');
  const rssFile = kb('RssFile');
  return {
    rss,
    ...(rssAnon !== undefined ? { rssAnon } : {}),
    ...(rssFile !== undefined ? { rssFile } : {}),
  };
}

/** True when this machine has `/proc/<pid>/status` (Linux). */
export function hasProcStatus(): boolean {
  return rssOf(process.pid) !== undefined;
}
