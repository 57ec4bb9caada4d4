/**
 * `npm run bench -w @gmart/streams`
 *
 * (1) mapValues+filter through the TopologyTestDriver (the library's own per-record cost),
 * (2) the same topology end to end through the embedded broker,
 * (3) a hand-written kafkajs consume-transform-produce loop doing the same work on the same broker,
 * then the state engineer's store cases (bench/state). Records are 333-byte JSON documents.
 * The broker runs in its own process (as a real broker would); BENCH_INPROC_BROKER=1 runs it in
 * this process instead. Cases (1)-(3) run BENCH_RUNS times (default 3; (2) and (3) alternate, each
 * run on a fresh broker) and a summary gives each one's median and the ratio of the medians.
 * Env: BENCH_CLIENT (`kafkaClient` of the KafkaStreams cases, default kafkajs; the reference loop
 * (3) is kafkajs: `npm run bench:clients` compares the clients case by case),
 * BENCH_RECORDS (default 100000), BENCH_PARTITIONS (default 4), BENCH_RUNS (default 3),
 * BENCH_CASES (default driver,loop,streams,join,windowed,table,suppress), BENCH_SKIP_STATE=1.
 * (4) join: the seed's 20-minute windowed stream-stream join end to end (records of two departments
 * keyed by customer, each customer buying once in each, 10 ms apart), compared with (2) in the same run.
 * (5) a tumbling windowed count and (6) a KGroupedTable.aggregate with adder and
 * subtractor over BENCH_TABLE_KEYS keys (default 100,000, each written twice), each end to end
 * with its ratio to (2) (records/s). (6) runs as users run it, with the DSL's default record cache
 * (on, as in Kafka Streams; done when the input and repartition topics are committed), then as
 * (6u) with caching off on both stores (every update forwarded and logged), and as (6o), (6) with
 * `topologyOptimization: 'all'` (the source table restores from its input topic: no changelog
 * written), alternating with (6) which runs first, and as (6t), caching off on the source table only
 * (as a user tuning (6) would: its keys starve the cache, the aggregate's 97 groups keep theirs); all check the
 * output's final sums against the recomputation and say when the application had processed the last
 * input record (its records-lag gauge at 0) and, with caching on, when the input was committed: a cached
 * run ends only after the commits that flush its caches, up to two commit intervals after its input
 * (BENCH_TABLE_CACHING=on|off runs one; BENCH_COMMIT_MS,
 * default 1000, is the commitIntervalMs of (2), (5) and (6)). Streams lines also give the app's CPU per record
 * and the broker's (from /proc, child broker only). BENCH_LINGER_MS sets the producerLingerMs of (2), (5)
 * and (6) (default: the library's); BENCH_BROKER_REQUESTS=1 (child broker only) adds the broker's Produce
 * requests per 1,000 input records of the timed part to each streams line.
 * suppress: heap with 1,000,000 open windows held by suppress, and a maxBytes buffer's peak against
 * its bound (bench/suppress-heap.ts; BENCH_SUPPRESS_WINDOWS, BENCH_SUPPRESS_BOUND).
 */
import { benchPurchase, median, type BenchPurchase } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchSuppressHeap } from './suppress-heap';
import { groupOf, tableAggregateTopology } from './table-aggregate-topology';
import { startChildBroker } from './state/broker';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  Consumed,
  Grouped,
  JoinWindows,
  KAFKA_CLIENTS,
  type KafkaClientName,
  KafkaStreams,
  Materialized,
  Produced,
  Serdes,
  StreamJoined,
  StreamsBuilder,
  TimeWindows,
  WindowedSerdes,
  type Serde,
  Topology,
} from '../src';
import { TopologyTestDriver } from '../src/testing';

const USAGE = `Usage: npm run bench -w @gmart/streams

The library's per-record cost (test driver), end to end through the embedded broker against a
hand-written kafkajs loop, joins, windows, tables, suppress and the state stores.

Settings come from the environment: BENCH_RECORDS (default 100000), BENCH_PARTITIONS (default 4), BENCH_RUNS (default 3),
BENCH_CASES (default driver,loop,streams,join,windowed,table,suppress), BENCH_SKIP_STATE=1,
BENCH_INPROC_BROKER=1, BENCH_SUPPRESS_WINDOWS, BENCH_SUPPRESS_BOUND, BENCH_TABLE_KEYS (default 100000),
BENCH_TABLE_CACHING (both|on|off, default both: the table case with the default record cache, (6) and
(6o) with topologyOptimization 'all' and (6t) with the source table's cache off, and without the cache, (6u)),
BENCH_COMMIT_MS (commitIntervalMs of (2), (5) and (6), default 1000; e.g. 4000 lets (6)'s source
table fill the record cache before the first commit, which starves the aggregate's cache),
BENCH_LINGER_MS (producerLingerMs of (2), (5) and (6), default the library's, 100),
BENCH_BROKER_REQUESTS=1 (the broker's Produce requests per 1,000 input records on each streams line).

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench @gmart/streams', USAGE);

const N = Number(process.env.BENCH_RECORDS ?? 100000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 4);
const LIVE = Math.min(20000, N);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENT = (process.env.BENCH_CLIENT ?? 'kafkajs') as KafkaClientName;
if (!KAFKA_CLIENTS.includes(CLIENT))
  throw new Error(`BENCH_CLIENT must be one of ${KAFKA_CLIENTS.join(', ')}, got "${CLIENT}"`);

/** Record `i`: the benchmarks' purchase `i` as JSON, keyed by its customer. */
function makeRecord(i: number): { key: string; value: string } {
  const p = benchPurchase(i);
  return { key: p.customerId, value: JSON.stringify(p) };
}

/** The work both sides do per record. */
function mask(p: BenchPurchase): BenchPurchase {
  return { ...p, creditCardNumber: 'xxxx-xxxx-xxxx-' + p.creditCardNumber.slice(-4) };
}
const keep = (p: BenchPurchase) => p.price > 1;

function topology(input: string, output: string): Topology {
  const S = Serdes.String();
  const J = Serdes.Json<BenchPurchase>();
  const b = new StreamsBuilder();
  b.stream(input, Consumed.with(S, J))
    .mapValues(mask)
    .filter((_k, v) => keep(v))
    .to(output, Produced.with(S, J));
  return b.build();
}

const expectedOut = (n: number) =>
  Array.from({ length: n }, (_, i) => makeRecord(i)).filter((r) => keep(JSON.parse(r.value))).length;

function p99(samples: number[]): number {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
}

/**
 * Prints a case's rate; `p99ms` is `undefined` for a case without a live latency phase (printed
 * `p99 n/a`); `cpuMs` (this process's CPU time while timed) adds its CPU per record.
 */
function line(
  name: string,
  n: number,
  ms: number,
  p99ms: number | undefined,
  cpuMs?: number,
  brokerCpuMs?: number,
  produceRequests?: number,
): number {
  const rate = (n / ms) * 1000;
  const cpu =
    (cpuMs === undefined ? '' : `  app CPU ${((cpuMs * 1000) / n).toFixed(1)} us/record`) +
    (brokerCpuMs === undefined ? '' : `, broker ${((brokerCpuMs * 1000) / n).toFixed(1)}`) +
    (produceRequests === undefined
      ? ''
      : `, ${((produceRequests * 1000) / n).toFixed(2)} produce requests/1000`);
  console.log(
    `${name.padEnd(44)} ${String(n).padStart(8)} records  ${rate.toFixed(0).padStart(9)} records/s  ${p99ms === undefined ? 'p99 n/a' : `p99 ${p99ms.toFixed(2)} ms`}${cpu}`,
  );
  return rate;
}

function benchDriver(): number {
  const d = new TopologyTestDriver(topology('in', 'out'), {
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const S = Serdes.String();
  const input = d.createInputTopic('in', S, S);
  const out = d.createOutputTopic('out', S, S);
  const records = Array.from({ length: N }, (_, i) => makeRecord(i));
  const samples: number[] = [];
  for (let i = 0; i < Math.min(5000, N); i++) input.pipeInput(records[i].key, records[i].value); // warm-up
  out.readRecordsToList();
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    if ((i & 63) === 0) {
      const t = process.hrtime.bigint();
      input.pipeInput(records[i].key, records[i].value);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    } else input.pipeInput(records[i].key, records[i].value);
    if ((i & 4095) === 4095) out.readRecordsToList();
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  void d.close();
  return line('(1) test driver: mapValues+filter', N, ms, p99(samples));
}

async function preload(kafka: Kafka, topic: string, n: number, offset = 0): Promise<void> {
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  const chunk = 2000;
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < n; i += chunk) {
    const messages = Array.from({ length: Math.min(chunk, n - i) }, (_, j) => makeRecord(offset + i + j));
    sends.push(p.send({ topic, acks: -1, messages }));
    if (sends.length >= 4) await sends.shift();
  }
  await Promise.all(sends);
  await p.disconnect();
}

async function outputCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offs = await admin.fetchTopicOffsets(topic);
    return offs.reduce((a, o) => a + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function waitCount(kafka: Kafka, topic: string, n: number, timeoutMs = 300000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await outputCount(kafka, topic)) < n) {
    if (Date.now() > end) throw new Error(`timeout waiting for ${n} records on ${topic}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Live phase: produce LIVE records while the app runs; latency = arrival - record timestamp. */
async function liveLatency(kafka: Kafka, input: string, output: string, from: number): Promise<number> {
  const samples: number[] = [];
  const c = kafka.consumer({ groupId: `lat-${output}-${Date.now()}` });
  await c.connect();
  await c.subscribe({ topics: [output], fromBeginning: false });
  let ready = false;
  c.on(c.events.GROUP_JOIN, () => (ready = true));
  void c.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) samples.push(now - Number(m.timestamp));
    },
  });
  while (!ready) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  for (let i = 0; i < LIVE; i += 200) {
    await p.send({
      topic: input,
      messages: Array.from({ length: Math.min(200, LIVE - i) }, (_, j) => ({
        ...makeRecord(from + i + j),
        timestamp: String(Date.now()),
      })),
    });
    await new Promise((r) => setTimeout(r, 5));
  }
  await p.disconnect();
  const want = expectedOut(LIVE) * 0.99;
  const end = Date.now() + 60000;
  while (samples.length < want && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await c.disconnect();
  return p99(samples);
}

/** (5) windowed count, tumbling 20 s, per customer; caching off so each input gives one output. */
function windowedTopology(input: string, output: string): Topology {
  const S = Serdes.String();
  const b = new StreamsBuilder();
  b.stream(input, Consumed.with(S, Serdes.Json<BenchPurchase>()))
    .groupByKey(Grouped.with(S, Serdes.Json<BenchPurchase>()))
    .windowedBy(TimeWindows.ofSizeWithNoGrace(20_000))
    .count(Materialized.as<string, number>('bench-counts').withCachingDisabled())
    .toStream()
    .to(
      output,
      Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, 20_000), Serdes.Long() as Serde<number>),
    );
  return b.build();
}

/**
 * Table rows of (6): BENCH_TABLE_KEYS keys (default 100,000, as issue 13 asks), each written twice
 * (2 x keys records, so the second write of a row runs the subtractor, moving it to another group
 * for most rows), grouped into 97 groups.
 */
const TABLE_KEYS = () => Math.max(1, Number(process.env.BENCH_TABLE_KEYS ?? 100_000));
/** BENCH_TABLE_CACHING: `both` (default) runs (6) and (6u), `on` only (6), `off` only (6u). */
const TABLE_CACHING = process.env.BENCH_TABLE_CACHING ?? 'both';
if (!['both', 'on', 'off'].includes(TABLE_CACHING))
  throw new Error(`BENCH_TABLE_CACHING must be both, on or off, got "${TABLE_CACHING}"`);
/** BENCH_COMMIT_MS: commitIntervalMs of (2), (5) and (6). */
const COMMIT_MS = Number(process.env.BENCH_COMMIT_MS ?? 1000);
if (!Number.isInteger(COMMIT_MS) || COMMIT_MS < 1)
  throw new Error(`BENCH_COMMIT_MS must be a whole number >= 1, got "${process.env.BENCH_COMMIT_MS}"`);
/** BENCH_LINGER_MS: producerLingerMs of (2), (5) and (6); undefined: the library's default. */
const LINGER_MS = process.env.BENCH_LINGER_MS === undefined ? undefined : Number(process.env.BENCH_LINGER_MS);
if (LINGER_MS !== undefined && !(Number.isInteger(LINGER_MS) && LINGER_MS >= 0))
  throw new Error(`BENCH_LINGER_MS must be a whole number >= 0, got "${process.env.BENCH_LINGER_MS}"`);
/** BENCH_BROKER_REQUESTS=1: the child broker serves its metrics and each streams line gives its Produce requests. */
const BROKER_REQUESTS = process.env.BENCH_BROKER_REQUESTS === '1';
const TABLE_RECORDS = () => 2 * TABLE_KEYS();
const rowKey = (i: number) => `row-${i % TABLE_KEYS()}`;
/** The final sum per group of (6): the recomputation from the table's last row per key. */
function expectedTableSums(n: number): Map<string, number> {
  const last = new Map<string, number>();
  for (let i = 0; i < n; i++) last.set(rowKey(i), i);
  const sums = new Map<string, number>();
  for (let i = 0; i < n; i++) sums.set(groupOf(i), 0);
  for (const i of last.values()) sums.set(groupOf(i), sums.get(groupOf(i))! + (i % 5) + 1);
  return sums;
}

/** The last value per key of a topic (read from the beginning to its end offsets). */
async function lastValues(kafka: Kafka, topic: string): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const last = new Map<string, number>();
  const reached = new Map<number, number>();
  const done = () => [...ends].every(([p, high]) => (reached.get(p) ?? 0) >= high);
  if (done()) return last;
  const c = kafka.consumer({ groupId: `verify-${topic}-${Date.now()}` });
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    c.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (m.key && m.value) last.set(m.key.toString(), m.value.readInt32BE(0));
          reached.set(batch.partition, Number(m.offset) + 1);
        }
        if (done()) resolve();
      },
    }).catch(reject);
  });
  await c.disconnect();
  return last;
}

/**
 * What the application wrote per input record, topic by topic (its internal topics and the output);
 * `cached`: (6), which says when its aggregate's cache was starved.
 */
async function writesPerInput(
  kafka: Kafka,
  applicationId: string,
  output: string,
  inputs: number,
  cached: boolean,
): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${applicationId}-`)).sort();
    const parts: string[] = [];
    let total = 0;
    let aggregateChangelog = 0;
    for (const topic of [...topics, output]) {
      const n = (await admin.fetchTopicOffsets(topic)).reduce((a, o) => a + Number(o.high), 0);
      total += n;
      if (topic === `${applicationId}-bench-sums-changelog`) aggregateChangelog = n / inputs;
      parts.push(`${topic.replace(`${applicationId}-`, '')} ${(n / inputs).toFixed(2)}`);
    }
    // With caching on, the 97 groups' updates merge in the aggregate's cache unless the source table's
    // cache took the thread's whole budget first (see the README's "Emission: caching and commit interval").
    const starved =
      cached && aggregateChangelog > 0.5
        ? "; the aggregate's cache was starved by the source table's (almost every update forwarded)"
        : '';
    return `records written per input record: ${(total / inputs).toFixed(2)} (${parts.join(', ')})${starved}`;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Where the end of a table run went: the timed run, when the application had processed the last
 * input record, and (caching on) when the input was committed. With caching on the results leave
 * the caches only at commits (every `commitIntervalMs`): the input's last rows at the first commit
 * after them, the aggregate's sums of those at the next one, so a cached run ends up to two commit
 * intervals (and those commits) after its input was processed.
 */
function endOfRun(ms: number, processedMs: number | undefined, inputCommittedMs: number | undefined): string {
  const s = (x: number) => (x / 1000).toFixed(2);
  if (processedMs === undefined) return `timed ${s(ms)} s (when the input was processed: not seen)`;
  const committed = inputCommittedMs === undefined ? '' : `, input committed at ${s(inputCommittedMs)} s`;
  return `timed ${s(ms)} s: input processed at ${s(processedMs)} s${committed}, so the last ${s(ms - processedMs)} s (${((100 * (ms - processedMs)) / ms).toFixed(0)}%) came after the input was processed`;
}

/**
 * Watches the application's `kafka_consumer_fetch_manager_records_lag` gauge (set after each batch it
 * processes) for `topic`: `at()` is the first time (ms since `since`, polled every 20 ms) every one of
 * its `partitions` partitions stood at 0, i.e. the application had processed the topic's last record.
 */
function watchProcessed(
  registry: Registry,
  topic: string,
  partitions: number,
  since: () => bigint,
): { at(): number | undefined; stop(): void } {
  let at: number | undefined;
  let polling = false;
  const timer = setInterval(() => {
    if (at !== undefined || polling || since() === 0n) return;
    const gauge = registry.getSingleMetric('kafka_consumer_fetch_manager_records_lag');
    if (gauge === undefined) return;
    polling = true;
    void Promise.resolve(gauge.get())
      .then(({ values }) => {
        const lags = values.filter((v) => v.labels.topic === topic);
        if (at === undefined && lags.length === partitions && lags.every((v) => v.value === 0))
          at = Number(process.hrtime.bigint() - since()) / 1e6;
      })
      .finally(() => (polling = false));
  }, 20);
  return { at: () => at, stop: () => clearInterval(timer) };
}

/** Waits until the group committed every record of `topics` (it flushes its caches before committing). */
async function waitCommitted(
  kafka: Kafka,
  groupId: string,
  topics: string[],
  timeoutMs = 300000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const end = Date.now() + timeoutMs;
  try {
    for (const topic of topics) {
      for (;;) {
        const high = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const at = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
        if (high.every((o) => (at.get(o.partition) ?? -1) >= Number(o.high))) break;
        if (Date.now() > end) throw new Error(`timeout waiting for ${groupId} to commit ${topic}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Outputs of (6): one per first write of a row, one when a rewrite stays in its group, two when it moves. */
function expectedTableOut(n: number): number {
  const seen = new Map<string, string>();
  let out = 0;
  for (let i = 0; i < n; i++) {
    const old = seen.get(rowKey(i));
    out += old === undefined || old === groupOf(i) ? 1 : 2;
    seen.set(rowKey(i), groupOf(i));
  }
  return out;
}

type StreamsCase = 'stateless' | 'windowed' | 'table' | 'table-optimized' | 'table-tuned' | 'table-uncached';

async function benchStreams(
  kafka: Kafka,
  brokers: string[],
  kind: StreamsCase = 'stateless',
  brokerCpuMs: () => number | undefined = () => undefined,
  produceRequests: () => Promise<number | undefined> = async () => undefined,
): Promise<number> {
  const admin = kafka.admin();
  const p = {
    stateless: 's',
    windowed: 'w',
    table: 't',
    'table-optimized': 'o',
    'table-tuned': 'n',
    'table-uncached': 'u',
  }[kind];
  const isTable =
    kind === 'table' || kind === 'table-optimized' || kind === 'table-tuned' || kind === 'table-uncached';
  // Cases whose aggregate has its record cache (when it emits depends on evictions and commits).
  const cachedTable = kind === 'table' || kind === 'table-optimized' || kind === 'table-tuned';
  await admin.connect();
  await admin.createTopics({
    topics: [`${p}-in`, `${p}-out`].map((topic) => ({ topic, numPartitions: PARTITIONS })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  const records = isTable ? TABLE_RECORDS() : N;
  if (isTable) await preloadTable(kafka, `${p}-in`, records);
  else await preload(kafka, `${p}-in`, N);
  const top =
    kind === 'windowed'
      ? windowedTopology(`${p}-in`, `${p}-out`)
      : isTable
        ? tableAggregateTopology(
            `${p}-in`,
            `${p}-out`,
            kind === 'table-tuned' ? 'aggregate-only' : cachedTable,
          )
        : topology(`${p}-in`, `${p}-out`);
  // (6o)'s id is no extension of (6)'s: writesPerInput counts the topics named `<applicationId>-...`.
  const applicationId = kind === 'table-optimized' ? 'bench-optimized' : `bench-${kind}`;
  const registry = new Registry();
  // Each run has a fresh broker, so a fresh state directory (no state left by an earlier run),
  // removed after the run (a (6) run leaves ~100 MB of LMDB files).
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`));
  const streams = new KafkaStreams(top, {
    applicationId,
    bootstrapServers: brokers,
    commitIntervalMs: COMMIT_MS,
    stateDir,
    consumer: JSON.parse(process.env.BENCH_CONSUMER ?? '{}'),
    producerBatchSize: Number(process.env.BENCH_BATCH ?? 2000),
    ...(LINGER_MS === undefined ? {} : { producerLingerMs: LINGER_MS }),
    kafkaClient: CLIENT,
    // (6o): the source table's store restores from its input topic, no changelog written.
    ...(kind === 'table-optimized' ? { topologyOptimization: 'all' } : {}),
    metricsRegistry: registry,
    logger: { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
  });
  // Timed from the group join (RUNNING), as the loop below, so the broker's join delay is left out.
  let start = 0n;
  let cpu = process.cpuUsage();
  let brokerCpu = brokerCpuMs();
  // The broker's Produce requests before the timed part (the preload's; the app's few before RUNNING).
  const requestsBefore = await produceRequests();
  streams.setStateListener((st) => {
    if (st === 'RUNNING' && start === 0n) {
      start = process.hrtime.bigint();
      cpu = process.cpuUsage();
      brokerCpu = brokerCpuMs();
    }
  });
  // The table cases say when the input was processed: what follows is the end of the run.
  const processed = isTable ? watchProcessed(registry, `${p}-in`, PARTITIONS, () => start) : undefined;
  await streams.start();
  let inputCommittedMs = 0;
  if (cachedTable) {
    // With caching on, how many updates reach the output depends on evictions and commits: done
    // when the input and the repartition topic are committed (the caches are flushed before).
    await waitCommitted(kafka, applicationId, [`${p}-in`]);
    inputCommittedMs = Number(process.hrtime.bigint() - start) / 1e6;
    await waitCommitted(kafka, applicationId, [`${applicationId}-bench-sums-repartition`]);
  } else
    await waitCount(
      kafka,
      `${p}-out`,
      kind === 'windowed' ? N : kind === 'table-uncached' ? expectedTableOut(records) : expectedOut(N),
    );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  processed?.stop();
  const processedMs = processed?.at();
  const brokerEnd = brokerCpuMs();
  const brokerUsed = brokerEnd === undefined || brokerCpu === undefined ? undefined : brokerEnd - brokerCpu;
  const requestsAfter = await produceRequests();
  const requests =
    requestsBefore === undefined || requestsAfter === undefined ? undefined : requestsAfter - requestsBefore;
  // Only (2) has a live phase; the other cases print `p99 n/a`.
  const lat = kind === 'stateless' ? await liveLatency(kafka, 's-in', 's-out', N) : undefined;
  await streams.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
  if (isTable) {
    console.log(`    ${await writesPerInput(kafka, applicationId, `${p}-out`, records, cachedTable)}`);
    console.log(`    ${endOfRun(ms, processedMs, cachedTable ? inputCommittedMs : undefined)}`);
    // Not timed: the output's last value per group is the recomputation from the table's final rows.
    const got = await lastValues(kafka, `${p}-out`);
    for (const [g, sum] of expectedTableSums(records))
      if (got.get(g) !== sum)
        throw new Error(`(6) ${kind}: group ${g} ended at ${got.get(g)}, expected ${sum}`);
  }
  const label = {
    stateless: '(2) KafkaStreams end to end (embedded broker)',
    windowed: '(5) windowed count, tumbling 20 s, end to end',
    table: `(6) KGroupedTable.aggregate, caching on (default), ${TABLE_KEYS()} keys`,
    'table-optimized': `(6o) same as (6), topologyOptimization: 'all' (no source-table changelog)`,
    'table-tuned': `(6t) same as (6), caching off on the source table only`,
    'table-uncached': `(6u) KGroupedTable.aggregate, caching off, ${TABLE_KEYS()} keys`,
  }[kind];
  return line(label, records, ms, lat, (used.user + used.system) / 1000, brokerUsed, requests);
}

/** Writes the table rows of (6): record i is row `rowKey(i)` with id i. */
async function preloadTable(kafka: Kafka, topic: string, n: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const batch = 2000;
  for (let i = 0; i < n; i += batch) {
    const messages = [];
    for (let j = i; j < Math.min(n, i + batch); j++)
      messages.push({ key: rowKey(j), value: makeRecord(j).value });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

async function benchLoop(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['l-in', 'l-out'].map((topic) => ({ topic, numPartitions: PARTITIONS })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  await preload(kafka, 'l-in', N);
  const consumer = kafka.consumer({ groupId: 'bench-loop' });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  let start = 0n;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (start === 0n) start = process.hrtime.bigint();
  });
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topics: ['l-in'], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const messages = [];
      for (const m of batch.messages) {
        const p = mask(JSON.parse(m.value!.toString('utf8')) as BenchPurchase);
        if (keep(p))
          messages.push({
            key: m.key,
            value: Buffer.from(JSON.stringify(p)),
            timestamp: m.timestamp,
            headers: m.headers,
          });
      }
      if (messages.length) await producer.send({ topic: 'l-out', acks: -1, messages });
    },
  });
  await waitCount(kafka, 'l-out', expectedOut(N));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const lat = await liveLatency(kafka, 'l-in', 'l-out', N);
  await consumer.disconnect();
  await producer.disconnect();
  return line('(3) hand-written kafkajs loop (reference)', N, ms, lat);
}

/** Starts the embedded broker in a child process (default) or in this process. */
async function startBroker(): Promise<{
  brokers: string[];
  stop(): Promise<void>;
  cpuMs(): number | undefined;
  produceRequests(): Promise<number | undefined>;
}> {
  if (process.env.BENCH_INPROC_BROKER === '1') {
    const b = await EmbeddedKafka.start({ port: 0 });
    return {
      brokers: b.bootstrapServers.split(','),
      stop: () => b.stop(),
      cpuMs: () => undefined,
      produceRequests: async () => undefined,
    };
  }
  return startChildBroker(BROKER_REQUESTS);
}

/** (4): coffee (even ids) joined with electronics (odd ids) of the same customer within 20 minutes. */
async function benchJoin(kafka: Kafka, brokers: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['j-in', 'j-out'].map((topic) => ({ topic, numPartitions: PARTITIONS })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  const t0 = Date.now() - 3_600_000;
  for (let i = 0; i < N; i += 2000) {
    const messages = Array.from({ length: Math.min(2000, N - i) }, (_, j) => {
      const r = makeRecord(i + j);
      return { key: `c${(i + j) >> 1}`, value: r.value, timestamp: String(t0 + (i + j) * 10) };
    });
    await p.send({ topic: 'j-in', acks: -1, messages });
  }
  await p.disconnect();
  const S = Serdes.String();
  const J = Serdes.Json<BenchPurchase>();
  const b = new StreamsBuilder();
  const [coffee, electronics] = b.stream('j-in', Consumed.with(S, J)).branch(
    (_k, v) => v.id % 2 === 0,
    (_k, v) => v.id % 2 === 1,
  );
  coffee
    .join(
      electronics,
      (c: BenchPurchase, e: BenchPurchase) => ({ customerId: c.customerId, total: c.price + e.price }),
      JoinWindows.ofTimeDifferenceAndGrace(20 * 60_000, 60_000),
      StreamJoined.with(S, J, J),
    )
    .to('j-out', Produced.with(S, Serdes.Json()));
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-join-'));
  const streams = new KafkaStreams(b.build(), {
    applicationId: 'bench-join',
    bootstrapServers: brokers,
    commitIntervalMs: 1000,
    stateDir,
    producerBatchSize: Number(process.env.BENCH_BATCH ?? 2000),
    kafkaClient: CLIENT,
    metricsRegistry: new Registry(),
    logger: { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
  });
  let start = 0n;
  streams.setStateListener((st) => {
    if (st === 'RUNNING' && start === 0n) start = process.hrtime.bigint();
  });
  await streams.start();
  await waitCount(kafka, 'j-out', Math.floor(N / 2));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await streams.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
  const rate = (N / ms) * 1000;
  console.log(
    `(4) 20-minute stream-stream join end to end: ${N} input records in ${ms.toFixed(0)} ms = ${rate.toFixed(0)} records/s`,
  );
  return rate;
}

async function main(): Promise<void> {
  console.log(
    `G-Mart Streams benchmark: ${N} records of 333 bytes, ${PARTITIONS} partitions, node ${process.version}, client ${CLIENT}`,
  );
  console.log(`broker: ${process.env.BENCH_INPROC_BROKER === '1' ? 'in this process' : 'child process'}`);
  console.log(
    '(throughput timed from the consumer group join to the last output record acknowledged; p99 latency from a live phase, n/a for cases without one)',
  );
  const cases = (process.env.BENCH_CASES ?? 'driver,loop,streams,join,windowed,table,suppress').split(',');
  if (!Number.isInteger(RUNS) || RUNS < 1)
    throw new Error(`BENCH_RUNS must be a whole number >= 1, got "${process.env.BENCH_RUNS}"`);
  const driver: number[] = [];
  const loop: number[] = [];
  const streams: number[] = [];
  const join: number[] = [];
  const windowed: number[] = [];
  const table: number[] = [];
  const tableOptimized: number[] = [];
  const tableTuned: number[] = [];
  const tableUncached: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    console.log(`run ${run} of ${RUNS}`);
    if (cases.includes('driver')) driver.push(benchDriver());
    const broker = await startBroker();
    const brokers = broker.brokers;
    const kafka = new Kafka({ brokers, logLevel: logLevel.ERROR, clientId: 'bench' });
    try {
      if (cases.includes('loop')) loop.push(await benchLoop(kafka));
      const cpuOf = () => broker.cpuMs();
      const reqs = () => broker.produceRequests();
      if (cases.includes('streams'))
        streams.push(await benchStreams(kafka, brokers, 'stateless', cpuOf, reqs));
      if (cases.includes('join')) join.push(await benchJoin(kafka, brokers));
      if (cases.includes('windowed'))
        windowed.push(await benchStreams(kafka, brokers, 'windowed', cpuOf, reqs));
      if (cases.includes('table') && TABLE_CACHING !== 'off') {
        // (6) and (6o) alternate which goes first, run by run (an A/B pair on one broker).
        const plain = () => benchStreams(kafka, brokers, 'table', cpuOf, reqs);
        const optimized = () => benchStreams(kafka, brokers, 'table-optimized', cpuOf, reqs);
        if (run % 2 === 1) {
          table.push(await plain());
          tableOptimized.push(await optimized());
        } else {
          tableOptimized.push(await optimized());
          table.push(await plain());
        }
        tableTuned.push(await benchStreams(kafka, brokers, 'table-tuned', cpuOf, reqs));
      }
      if (cases.includes('table') && TABLE_CACHING !== 'on')
        tableUncached.push(await benchStreams(kafka, brokers, 'table-uncached', cpuOf, reqs));
    } finally {
      await broker.stop();
    }
  }
  const fmt = (xs: number[]) =>
    `${median(xs).toFixed(0)} records/s (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(`medians of ${RUNS} run(s):`);
  if (driver.length) console.log(`  (1) test driver            ${fmt(driver)}`);
  if (streams.length) console.log(`  (2) KafkaStreams end to end ${fmt(streams)}`);
  if (loop.length) console.log(`  (3) kafkajs loop reference  ${fmt(loop)}`);
  if (streams.length && loop.length) {
    const perRun = streams.map((x, i) => (x / loop[i]).toFixed(2)).join(', ');
    console.log(
      `ratio (2)/(3) of the medians = ${(median(streams) / median(loop)).toFixed(2)} (per run: ${perRun}; target >= 0.8); (2) target >= 50000 records/s`,
    );
  }
  if (join.length) console.log(`  (4) stream-stream join      ${fmt(join)}`);
  if (streams.length && join.length) {
    const perRun = join.map((x, i) => (x / streams[i]).toFixed(2)).join(', ');
    console.log(
      `ratio (4)/(2) of the medians = ${(median(join) / median(streams)).toFixed(2)} (per run: ${perRun}; target >= 0.4)`,
    );
  }
  for (const [label, xs, target] of [
    ['(5) windowed count', windowed, '>= 0.5'],
    [
      '(6) KGroupedTable.aggregate',
      table,
      ">= 0.4 (issue 13's; the DSL's default cache on both stores, where the source table's keys starve the aggregate's)",
    ],
    ['(6o) same, optimization all', tableOptimized, '>= 0.4 (as (6))'],
    [
      '(6t) same, source uncached',
      tableTuned,
      ">= 0.4 (issue 13's, with the source table's cache off as the README advises for such a table)",
    ],
    [
      '(6u) same, caching off',
      tableUncached,
      ">= 0.4 (issue 13's, caching off: every update forwarded and logged)",
    ],
  ] as const) {
    if (!xs.length) continue;
    console.log(`  ${label.padEnd(28)} ${fmt([...xs])}`);
    if (streams.length) {
      const perRun = xs.map((x, i) => (x / streams[i]).toFixed(2)).join(', ');
      console.log(
        `ratio ${label.split(' ')[0]}/(2) of the medians = ${(median([...xs]) / median(streams)).toFixed(2)} (per run: ${perRun}; target ${target})`,
      );
    }
  }
  if (table.length && tableOptimized.length) {
    const perRun = tableOptimized.map((x, i) => (x / table[i]).toFixed(2)).join(', ');
    console.log(
      `ratio (6o)/(6) of the medians = ${(median(tableOptimized) / median(table)).toFixed(2)} (per run: ${perRun}; same workload, same broker, alternating order)`,
    );
  }
  if (cases.includes('suppress')) await benchSuppressHeap();
  if (process.env.BENCH_SKIP_STATE !== '1') {
    // The state engineer's cases (bench/state/index.ts exports runStateBenchmarks).
    let state: { runStateBenchmarks?: (print: (l: string) => void) => Promise<unknown> } | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      state = require('./state');
    } catch (e) {
      console.log(`state benchmarks unavailable: ${(e as Error).message}`);
    }
    if (state?.runStateBenchmarks) await state.runStateBenchmarks((l) => console.log(l));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
