/**
 * `npm run bench:heap -w @gmart/stock-analytics`: the memory the whole stock-analytics topology keeps
 * after MICRO_RECORDS transactions (the bench:micro's: the seeded generator's defaults, 10 ms apart,
 * through the test driver's tasks with a commit every MICRO_COMMIT_RECORDS), after a full garbage
 * collection: the JavaScript heap in use and the ArrayBuffer memory (Buffers' bytes), in total and
 * per transaction over what the process held before the driver started (the input transactions
 * included in both). With retention at 15 minutes, the windowed counts' stores hold every window of
 * the first 90,000 transactions (900 s of them); the record cache holds its 10 MiB.
 * Env: MICRO_RECORDS (default 140000: past the stores' retention, as bench:pipeline's 120,000),
 * MICRO_COMMIT_RECORDS (default 8000). Run with `--expose-gc` (the npm script does).
 */
import { getHeapStatistics } from 'node:v8';
import { driverInternals } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { buildStockAnalyticsTopology } from '../src';
import { stockAnalyticsConfig } from '../src/stock-analytics.config';
import { benchTrades } from './bench-trades';

const USAGE = `Usage: npm run bench:heap -w @gmart/stock-analytics

Memory kept by the whole stock-analytics topology (stores, record cache, indexes) after
MICRO_RECORDS transactions through the test driver's tasks, after a full garbage collection.

Settings come from the environment: MICRO_RECORDS (default 140000), MICRO_COMMIT_RECORDS (default 8000).

  -h, --help   show this help
`;

benchCommandLine('bench:heap @gmart/stock-analytics', USAGE);

const RECORDS = Number(process.env.MICRO_RECORDS ?? 140_000);
const COMMIT = Number(process.env.MICRO_COMMIT_RECORDS ?? 8_000);

/** Heap in use and ArrayBuffer bytes after a full collection. */
function held(): { heap: number; buffers: number } {
  (globalThis as { gc?: () => void }).gc?.();
  return { heap: getHeapStatistics().used_heap_size, buffers: process.memoryUsage().arrayBuffers };
}

/** The benchmark's input, kept reachable for the whole run (both heap readings include it). */
const retained: unknown[] = [];

async function main(): Promise<void> {
  if ((globalThis as { gc?: () => void }).gc === undefined) throw new Error('run with --expose-gc');
  const topics = stockAnalyticsConfig.load({ KAFKA_BROKERS: 'localhost:9092' }).topics;
  const trades = benchTrades(RECORDS);
  // held to the end, so that both heap readings count it alike
  retained.push(trades);
  const { keys, values, times } = trades;
  const before = held();
  const driver = await TopologyTestDriver.create(buildStockAnalyticsTopology(topics), {
    initialWallClockTimeMs: times[0],
  });
  const d = driverInternals(driver);
  const drainPending = () => {
    while (d.pending.length)
      for (const r of d.pending.splice(0)) d.processOne(r.topic, r.key, r.value, r.timestamp, r.headers);
  };
  for (let i = 0; i < RECORDS; i++) {
    d.processOne('stock-transactions', keys[i]!, values[i]!, times[i]!, {});
    if ((i & 63) === 63) {
      drainPending();
      d.outputs.clear();
    }
    if ((i + 1) % COMMIT === 0 || i === RECORDS - 1) {
      drainPending();
      for (;;) {
        for (const t of d.tasks) await t.prepareCommit();
        if (d.pending.length === 0) break;
        drainPending();
      }
      d.outputs.clear();
    }
  }
  const after = held();
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  const per = (b: number) => (b / RECORDS).toFixed(0);
  console.log(
    `${RECORDS} transactions, commit every ${COMMIT}: heap ${mib(after.heap)} MiB (+${mib(after.heap - before.heap)} MiB, ${per(after.heap - before.heap)} B per transaction), ` +
      `ArrayBuffers ${mib(after.buffers)} MiB (+${mib(after.buffers - before.buffers)} MiB, ${per(after.buffers - before.buffers)} B per transaction)`,
  );
  await driver.close();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
