/**
 * `npm run bench:global -w @gmart/streams`
 *
 * GlobalKTable bootstrap (issue 14): a `companies` topic of BENCH_GLOBAL_RECORDS records (default
 * 1,000,000, ~110-byte JSON values, BENCH_PARTITIONS partitions, default 4) on the embedded broker
 * (in its own process), then, alternating, BENCH_RUNS times (default 3):
 *  (ref) a bare read of the topic: a kafkajs consumer reading every partition to its end, no work;
 *  (global) a `KafkaStreams` with only `builder.globalTable('companies', ..., Materialized.as(..))`
 *          started with an empty state directory: time from `start()` to RUNNING, i.e. every record
 *          deserialized and put into the default (persistent, LMDB) store; heap used after it.
 * Prints each run, the medians and the ratio of the medians. Target: global <= 5 s.
 */
import { benchCommandLine } from '@gmart/command-line';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Materialized,
  QueryableStoreTypes,
  Serdes,
  StreamsBuilder,
} from '../src';
import { startChildBroker } from './state/broker';
import { median } from '@gmart/bench-support';

const USAGE = `Usage: npm run bench:global -w @gmart/streams

GlobalKTable bootstrap time and heap against a bare read of the same topic, same run.

Settings come from the environment: BENCH_GLOBAL_RECORDS (default 1000000), BENCH_PARTITIONS (default 4), BENCH_RUNS (default 3).

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench:global @gmart/streams', USAGE);

const N = Number(process.env.BENCH_GLOBAL_RECORDS ?? 1_000_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 4);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TOPIC = 'companies';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Company {
  symbol: string;
  name: string;
  sector: string;
  employees: number;
}

async function preload(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  const chunk = 5000;
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < N; i += chunk) {
    const messages = Array.from({ length: Math.min(chunk, N - i) }, (_, j) => {
      const n = i + j;
      const c: Company = {
        symbol: `SYM${n}`,
        name: `Company number ${n}`,
        sector: `sector-${n % 11}`,
        employees: n % 5000,
      };
      return { key: c.symbol, value: JSON.stringify(c) };
    });
    sends.push(p.send({ topic: TOPIC, acks: -1, messages }));
    if (sends.length >= 4) await sends.shift();
  }
  await Promise.all(sends);
  await p.disconnect();
}

async function endOffsets(kafka: Kafka): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(TOPIC)).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Reference: read every partition to its end with a plain kafkajs consumer (no work per record). */
async function bareRead(kafka: Kafka, run: number): Promise<number> {
  const ends = await endOffsets(kafka);
  const consumer = kafka.consumer({ groupId: `bare-read-${run}-${Date.now()}`, maxBytes: 10 * 1024 * 1024 });
  const start = process.hrtime.bigint();
  let remaining = [...ends.values()].filter((e) => e > 0).length;
  let read = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        read += batch.messages.length;
        const last = Number(batch.lastOffset()) + 1;
        if (last >= (ends.get(batch.partition) ?? 0) && batch.messages.length > 0) {
          ends.set(batch.partition, Number.MAX_SAFE_INTEGER);
          if (--remaining === 0) resolve();
        }
      },
    });
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await consumer.disconnect();
  if (read < N) throw new Error(`bare read saw ${read} of ${N} records`);
  return ms;
}

/** A global-table-only application from an empty state directory: start() to RUNNING. */
async function globalBootstrap(brokers: string[], run: number): Promise<{ ms: number; heapMb: number }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-global-'));
  const b = new StreamsBuilder();
  b.globalTable(
    TOPIC,
    Consumed.with(Serdes.String(), Serdes.Json<Company>()),
    Materialized.as('companies-store'),
  );
  const streams = new KafkaStreams(b.build(), {
    applicationId: `bench-global-${run}`,
    bootstrapServers: brokers,
    stateDir,
    logger: silent,
    metricsRegistry: new Registry(),
    consumer: { maxBytes: 10 * 1024 * 1024 },
  });
  const running = new Promise<void>((resolve) =>
    streams.setStateListener((s) => s === KafkaStreamsState.RUNNING && resolve()),
  );
  const start = process.hrtime.bigint();
  await streams.start();
  await running;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const store = streams.store({ storeName: 'companies-store', type: QueryableStoreTypes.keyValueStore() });
  const entries = store.approximateNumEntries();
  if (entries !== N) throw new Error(`global store has ${entries} entries, expected ${N}`);
  global.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  await streams.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
  return { ms, heapMb };
}

async function main(): Promise<void> {
  const broker = await startChildBroker();
  const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING, clientId: 'bench-global' });
  try {
    const t0 = Date.now();
    await preload(kafka);
    console.log(`preloaded ${N} records into ${TOPIC} (${PARTITIONS} partitions) in ${Date.now() - t0} ms`);
    const ref: number[] = [];
    const glob: number[] = [];
    const heap: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const r = await bareRead(kafka, run);
      ref.push(r);
      const g = await globalBootstrap(broker.brokers, run);
      glob.push(g.ms);
      heap.push(g.heapMb);
      console.log(
        `run ${run + 1}: bare read ${r.toFixed(0)} ms (${((N / r) * 1000).toFixed(0)} rec/s); ` +
          `global bootstrap ${g.ms.toFixed(0)} ms (${((N / g.ms) * 1000).toFixed(0)} rec/s), heap ${g.heapMb.toFixed(0)} MB`,
      );
    }
    const mr = median(ref);
    const mg = median(glob);
    console.log('\nsummary (medians)');
    console.log(`  (ref) bare read of ${N} records:           ${mr.toFixed(0)} ms`);
    console.log(
      `  (global) GlobalKTable bootstrap to RUNNING: ${mg.toFixed(0)} ms, heap used after ${median(heap).toFixed(0)} MB`,
    );
    console.log(
      `  ratio global / bare read: ${(mg / mr).toFixed(2)}x; target <= 5000 ms: ${mg <= 5000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await broker.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
