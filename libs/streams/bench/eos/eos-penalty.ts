/**
 * Exactly-once penalty benchmark: the stateful counting topology (groupByKey().count(), one output
 * record per input record) over BENCH_EOS_RECORDS records (default 50,000, 4 partitions, 1,000
 * keys), under at_least_once and exactly_once_v2 alternately in the same run, BENCH_EOS_RUNS times
 * each (default 3), against an embedded broker, both with a 100 ms commit interval. A run is timed
 * from start() until the group's committed offsets reach the input's end (every result committed).
 * Prints the medians and the throughput ratio.
 *
 *   npm run bench:eos -w @gmart/streams
 */
import { benchCommandLine } from '@gmart/command-line';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Registry } from 'prom-client';
import { Consumed, KafkaStreams, Materialized, Produced, Serdes, StreamsBuilder } from '../../src';

const USAGE = `Usage: npm run bench:eos -w @gmart/streams

Exactly-once penalty: a stateful count under at_least_once and exactly_once_v2, same run.

Settings come from the environment: BENCH_EOS_RECORDS (default 50000), BENCH_EOS_RUNS (default 3).

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench:eos @gmart/streams', USAGE);

const RECORDS = Number(process.env.BENCH_EOS_RECORDS ?? 50000);
const RUNS = Number(process.env.BENCH_EOS_RUNS ?? 3);
const KEYS = 1000;
type Guarantee = 'at_least_once' | 'exactly_once_v2';

async function runOnce(kafka: Kafka, brokers: string, guarantee: Guarantee, run: number): Promise<number> {
  const input = `bench-in-${guarantee}-${run}`;
  const output = `bench-out-${guarantee}-${run}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: 4 })) });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < RECORDS; i += 5000)
    await producer.send({
      topic: input,
      acks: -1,
      messages: Array.from({ length: Math.min(5000, RECORDS - i) }, (_, j) => ({
        key: `k${(i + j) % KEYS}`,
        value: `v${i + j}`,
      })),
    });
  await producer.disconnect();
  const S = Serdes.String();
  const b = new StreamsBuilder();
  b.stream(input, Consumed.with(S, S))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .mapValues((n) => String(n))
    .to(output, Produced.with(S, S));
  const appId = `bench-${guarantee}-${run}`;
  const streams = new KafkaStreams(b.build(), {
    applicationId: appId,
    bootstrapServers: [brokers],
    processingGuarantee: guarantee,
    // The same commit cadence for both (exactly_once_v2's default): the difference is the transactions.
    commitIntervalMs: 100,
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-eos-')),
    metricsRegistry: new Registry(),
    logger: { debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`${m}\n`) },
  });
  const started = process.hrtime.bigint();
  await streams.start();
  for (;;) {
    const offsets = await admin.fetchOffsets({ groupId: appId, topics: [input] });
    const done = offsets[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    if (done >= RECORDS) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await streams.close({ timeoutMs: 10000 });
  await admin.disconnect();
  return RECORDS / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const broker = await EmbeddedKafka.start({ port: 0, groupInitialRebalanceDelayMs: 0 });
  const kafka = new Kafka({
    brokers: [broker.bootstrapServers],
    logLevel: logLevel.NOTHING,
    clientId: 'bench-eos',
  });
  const results: Record<Guarantee, number[]> = { at_least_once: [], exactly_once_v2: [] };
  try {
    for (let r = 0; r < RUNS; r++)
      for (const g of ['at_least_once', 'exactly_once_v2'] as const) {
        const rate = await runOnce(kafka, broker.bootstrapServers, g, r);
        results[g].push(rate);
        process.stdout.write(`run ${r + 1} ${g}: ${Math.round(rate)} records/s\n`);
      }
  } finally {
    await broker.stop();
  }
  const alo = median(results.at_least_once);
  const eos = median(results.exactly_once_v2);
  process.stdout.write(
    `counting topology, ${RECORDS} records, medians of ${RUNS}: at_least_once ${Math.round(alo)} rec/s, ` +
      `exactly_once_v2 ${Math.round(eos)} rec/s, ratio ${(eos / alo).toFixed(2)} (penalty ${((1 - eos / alo) * 100).toFixed(1)}%)\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
