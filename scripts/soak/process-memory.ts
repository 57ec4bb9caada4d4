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

/** True when this machine has `/proc/<pid>/status` (Linux). */
export function hasProcStatus(): boolean {
  return rssOf(process.pid) !== undefined;
}
