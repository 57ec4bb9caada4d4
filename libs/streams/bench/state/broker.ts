import * as fs from 'node:fs';
import { spawnBrokerProcess } from '@gmart/embedded-kafka/process';

/**
 * The embedded broker in its own process (as a real broker would run), so heap figures are the app's only.
 * `withMetrics`: it serves its `/metrics`, and `produceRequests()` reads how many Produce requests it has
 * received so far (else `produceRequests()` resolves `undefined`).
 */
export async function startChildBroker(withMetrics = false): Promise<{
  brokers: string[];
  stop(): Promise<void>;
  cpuMs(): number | undefined;
  produceRequests(): Promise<number | undefined>;
}> {
  const broker = await spawnBrokerProcess([
    '--port',
    '0',
    '--quiet',
    '--group-initial-rebalance-delay-ms',
    '0',
    ...(withMetrics ? ['--metrics-port', '0'] : []),
  ]);
  const port = broker.metricsPort;
  return {
    brokers: broker.bootstrapServers.split(','),
    cpuMs: () => processCpuMs(broker.child.pid),
    produceRequests: async () => {
      if (port === undefined) return undefined;
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const m = /^kafka_server_requests_total\{api="Produce"\} (\S+)$/m.exec(text);
      return m ? Number(m[1]) : 0;
    },
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
