/**
 * `npm run bench:micro -w @gmart/stock-analytics`: the CPU per stock transaction of the whole
 * stock-analytics topology without a broker: the bench:pipeline case's transactions (the seeded
 * generator's defaults) go through the test driver's tasks (the runtime's `StreamTask`, stores,
 * record cache, changelogs, serdes and repartition serialization) with a commit (each task's
 * `prepareCommit`) every MICRO_COMMIT_RECORDS transactions, so the record caches fill and flush as in
 * the end-to-end case. Kafka's produce and fetch are left out. Prints the CPU per transaction (median
 * of MICRO_RUNS, the first not counted) and the records written per transaction, topic by topic.
 * Env: MICRO_RECORDS (default 40000), MICRO_RUNS (default 4), MICRO_COMMIT_RECORDS (default 8000),
 * MICRO_CACHE_BYTES (the record cache, default Kafka Streams' 10 MiB), MICRO_PARTS (the sub-topologies
 * hung on the transactions' source, comma-separated: source, performance, volume, counts, summaries;
 * default: the service's whole topology).
 */
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { driverInternals, gcSummary } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';
import { GmartSerdes } from '@gmart/gmart';
import { Consumed, Serdes, StreamsBuilder, type Topology } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import {
  DEFAULT_TRANSACTION_COUNTS_GRACE_MS,
  addShareVolume,
  addStockPerformance,
  addTransactionCounts,
  addTransactionSummaries,
  buildStockAnalyticsTopology,
} from '../src';
import { stockAnalyticsConfig } from '../src/stock-analytics.config';
import { benchTrades } from './bench-trades';

const USAGE = `Usage: npm run bench:micro -w @gmart/stock-analytics

CPU per stock transaction of the whole stock-analytics topology without a broker: the test driver's
tasks (stores, record cache, changelogs, serdes) with a commit every MICRO_COMMIT_RECORDS transactions.

Settings come from the environment: MICRO_RECORDS (default 40000), MICRO_RUNS (default 4, the first
not counted), MICRO_COMMIT_RECORDS (default 8000), MICRO_CACHE_BYTES (default 10 MiB), MICRO_PARTS
(only these sub-topologies on the transactions' source, comma-separated: source (the source alone),
performance, volume (share volume and top 5 by industry), counts (the customer repartition and the
three windowed counts), summaries (counts and their enrichment); default: the whole topology).

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench:micro @gmart/stock-analytics', USAGE);

const RECORDS = Number(process.env.MICRO_RECORDS ?? 40_000);
const RUNS = Number(process.env.MICRO_RUNS ?? 4);
const COMMIT = Number(process.env.MICRO_COMMIT_RECORDS ?? 8_000);
const CACHE_BYTES =
  process.env.MICRO_CACHE_BYTES === undefined ? undefined : Number(process.env.MICRO_CACHE_BYTES);

/** The service's default topic names (deploy/topics.yaml), as the service itself loads them. */
const topics = stockAnalyticsConfig.load({ KAFKA_BROKERS: 'localhost:9092' }).topics;

const PART_NAMES = ['source', 'performance', 'volume', 'counts', 'summaries'];
const PARTS = process.env.MICRO_PARTS ? process.env.MICRO_PARTS.split(',').map((p) => p.trim()) : undefined;
for (const p of PARTS ?? [])
  if (!PART_NAMES.includes(p))
    throw new Error(`MICRO_PARTS: unknown part "${p}"; known: ${PART_NAMES.join(', ')}`);

/** The service's topology, or only the sub-topologies of MICRO_PARTS on the transactions' source. */
function topology(): Topology {
  if (PARTS === undefined) return buildStockAnalyticsTopology(topics);
  const builder = new StreamsBuilder();
  const transactions = builder.stream(
    topics.STOCK_TRANSACTIONS,
    Consumed.with(Serdes.String(), GmartSerdes.StockTransaction({ nullValues: 'reject' })).withName(
      'stocks-source',
    ),
  );
  if (PARTS.includes('source')) transactions.peek(() => undefined);
  if (PARTS.includes('volume')) addShareVolume(transactions, topics);
  if (PARTS.includes('counts') || PARTS.includes('summaries')) {
    const sessions = addTransactionCounts(transactions, topics, DEFAULT_TRANSACTION_COUNTS_GRACE_MS);
    if (PARTS.includes('summaries')) addTransactionSummaries(builder, sessions, topics);
  }
  const built = builder.build();
  if (PARTS.includes('performance'))
    addStockPerformance(built, { parentName: 'stocks-source', outputTopic: topics.STOCK_PERFORMANCE });
  return built;
}

async function run(
  keys: Buffer[],
  values: Buffer[],
  times: number[],
): Promise<{ us: number; written: string; gc: string }> {
  const driver = await TopologyTestDriver.create(topology(), {
    initialWallClockTimeMs: times[0],
    ...(CACHE_BYTES !== undefined ? { cacheMaxBytesBuffering: CACHE_BYTES } : {}),
  });
  const d = driverInternals(driver);
  const written = new Map<string, number>();
  const drainPending = () => {
    while (d.pending.length) {
      for (const r of d.pending.splice(0)) d.processOne(r.topic, r.key, r.value, r.timestamp, r.headers);
    }
  };
  const count = () => {
    for (const [t, q] of d.outputs) written.set(t, (written.get(t) ?? 0) + q.length);
    d.outputs.clear();
  };
  const n = keys.length;
  const profiler = new GCProfiler();
  const usedAtStart = getHeapStatistics().used_heap_size;
  profiler.start();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    d.processOne('stock-transactions', keys[i]!, values[i]!, times[i]!, {});
    if ((i & 63) === 63) {
      drainPending();
      count();
    }
    if ((i + 1) % COMMIT === 0 || i === n - 1) {
      drainPending();
      for (;;) {
        for (const t of d.tasks) await t.prepareCommit();
        if (d.pending.length === 0) break;
        drainPending();
      }
    }
  }
  const used = process.cpuUsage(start);
  const gc = gcSummary(profiler.stop(), usedAtStart, n);
  count();
  await driver.close();
  const parts = [...written].map(([t, c]) => `${t.replace('test-driver-', '')} ${(c / n).toFixed(2)}`);
  return { us: (used.user + used.system) / n, written: parts.join(', '), gc };
}

async function main(): Promise<void> {
  const { keys, values, times } = benchTrades(RECORDS);
  const us: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const res = await run(keys, values, times);
    us.push(res.us);
    console.log(
      `run ${r + 1}: ${res.us.toFixed(2)} us CPU per transaction (per transaction: ${res.gc}); written per transaction: ${res.written}`,
    );
  }
  const counted = (us.length > 1 ? us.slice(1) : us).sort((a, b) => a - b);
  console.log(
    `${RECORDS} transactions${PARTS ? ` (${PARTS.join(', ')})` : ''}, commit every ${COMMIT}: median of runs 2-${us.length} ${counted[counted.length >> 1]!.toFixed(2)} us CPU per transaction`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
