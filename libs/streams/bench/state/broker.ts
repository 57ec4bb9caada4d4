import * as fs from 'node:fs';
import { spawnBrokerProcess } from '@gmart/embedded-kafka/process';

/** The embedded broker in its own process (as a real broker would run), so heap figures are the app's only. */
export async function startChildBroker(): Promise<{
  brokers: string[];
  stop(): Promise<void>;
  cpuMs(): number | undefined;
}> {
  const broker = await spawnBrokerProcess([
    '--port',
    '0',
    '--quiet',
    '--group-initial-rebalance-delay-ms',
    '0',
  ]);
  return {
    brokers: broker.bootstrapServers.split(','),
    cpuMs: () => processCpuMs(broker.child.pid),
    stop: async () => {
      await broker.stop();
    },
  };
}

/** CPU time (user + system, ms) a process used so far, from `/proc/<pid>/stat`; `undefined` where unreadable. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** `sysconf(_SC_CLK_TCK)`: 100 on Linux. */
const CLOCK_TICKS = 100;
