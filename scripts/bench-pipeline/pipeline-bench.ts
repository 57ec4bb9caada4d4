/**
 * `npm run bench:pipeline`: records/s end to end through the G-Mart services against the
 * embedded broker, each service its own process (scripts/local-stack), one line per case:
 *
 * - `reference`: plain produce -> consume of the same records on the same broker, same run, with
 *   the case's client (the ceiling the services run under);
 * - `masking`: `transactions` -> masking -> `purchases`;
 * - `masking+patterns+rewards`: `transactions` -> masking -> `purchases` -> patterns and rewards
 *   (through `customer_transactions` and `rewardsPointsStore`) -> `rewards`, with the latency from
 *   the record's timestamp (set when produced to `transactions`) to its arrival in `rewards`;
 * - `pipeline paced`: the same at a fixed input rate, for latency without queueing;
 * - `masking+coupon-join`: `transactions` -> masking -> `purchases` -> coupon-join (by customer,
 *   `coffee` / `electronics`, repartitioned, 20-minute windowed join with window stores and
 *   changelogs) -> `coupons`, timed until every coupon a brute-force model of the same purchases
 *   expects has arrived (coupon-join runs with a grace longer than the purchases' event-time span,
 *   so the join's result does not depend on the order the partitions are read in); the line adds
 *   its ratio to the masking case of the same run, when `purchases` was complete (its end offsets,
 *   polled) and the tail from then to the last coupon, the share of the run coupon-join's main
 *   thread was busy, before `purchases` was complete and in the tail the shares of the wall time
 *   that thread ran, waited in a run queue for a CPU (starved by the other processes, the machine's
 *   other users included) and slept (nothing to do: waiting for input, acknowledgements, commits,
 *   repartition records), from its scheduler times, and the share of the machine's cores the
 *   case's processes used. Coupons carry event time, so no latency.
 * - `stock-analytics`: `stock-transactions` (the seeded stock generator, keyed by symbol) ->
 *   stock-analytics with all its sub-topologies (Processor API stock performance, share volume and
 *   the top 5 by industry through one repartition (by industry), the session/tumbling/hopping customer counts
 *   through a second), timed until the application's group has committed every input and
 *   repartition record (lag 0: every sub-topology is through; the service commits every 100 ms under
 *   exactly-once, Kafka Streams' default; polled every 50 ms, see {@link drained}); the line adds its
 *   ratio to the masking case of the same run (stock transactions/s vs purchases/s; the target is
 *   >= 0.25x), when the input was committed and the tail from then to lag 0 (the repartition topics'
 *   sub-topologies and their commits), and the share of the run the service's main thread was busy
 *   (with the same ran / waited for a CPU / slept split before the input was committed and after).
 * - `masking kcat none|lz4|zstd`: masking with its input written by librdkafka (kcat, `-z <codec>`):
 *   compressed input against uncompressed input from the same producer, same run (kcat on PATH).
 *
 * Each throughput case first sends `--warmup` records through the freshly started services and
 * waits for them at the output (JIT, connections, group joins: what a long-running service has
 * behind it), and at least 4 s from the warm-up's start (past the clients' first heartbeat, which
 * loads and compiles code once), then times `--records` more. Every case runs `--runs` times, cases interleaved
 * (reference, masking, pipeline, reference, ...), and the line gives the median with every run.
 *
 * Every case runs with each client of `--clients` (default kafkajs,platformatic): the services get
 * `KAFKA_CLIENT`, and the bench's own producer and counting consumer use the same client
 * (scripts/bench-clients/raw-clients.ts); each line's ratio is to the reference of its client, and a
 * line per case gives platformatic / kafkajs of the medians.
 *
 * `--guarantees at_least_once,exactly_once_v2` runs every service case under each guarantee
 * (`PROCESSING_GUARANTEE` of every service), interleaved within the run, and prints per case and
 * client the exactly-once penalty: 1 - (median exactly_once_v2 rate / median at_least_once rate).
 * A client the library refuses `exactly_once_v2` for (no transactions: the platformatic client
 * today) skips that guarantee with a note; services whose default guarantee is `exactly_once_v2`
 * (rewards, coupon-join, stock-analytics) would refuse it at start.
 *
 * Flags: see ./flags.ts (`npm run bench:pipeline -- --help`); the entry point is ./index.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { GmartSerdes, PurchaseGenerator, StockGenerator } from '@gmart/gmart';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KAFKA_CLIENTS, KafkaStreams, StreamsBuilder, type KafkaClientName } from '@gmart/streams';
import { LocalStack, serviceNamed } from '../local-stack';
import { spawnBenchBroker } from './bench-broker';
import { couponCount } from './coupon-model';
import { cpuSecondsOf, mainThreadCpuSecondsOf, mainThreadSchedOf, type SchedTimes } from './cpu-time';
import { BenchUsageError, CASE_NAMES, type BenchFlags, type Guarantee } from './flags';
import { produceAll, rawClient, type BenchMessage } from '../bench-clients/raw-clients';
import { median } from '@gmart/bench-support';
import { PROFILE_MANIFEST, type ProfiledRun } from './profile-manifest';

/** coupon-join's largest JOIN_GRACE_MS: a week, longer than the purchases' event-time span. */
const JOIN_GRACE_MAX_MS = 604_800_000;

/** One timed run of a case. */
interface Run {
  records: number;
  seconds: number;
  /** Input timestamp to output arrival, per timed record (ms). */
  latenciesMs: number[];
  /** CPU seconds used during the timed part, per process (`broker`, `bench`, each service), and per main thread of the broker and each service (`<name>/main`). */
  cpu: Map<string, number>;
  /** Process ids by name (`broker`, each service), for the profiles' manifest. */
  pids: Map<string, number>;
  /** The timed part on the monotonic clock of CPU profiles (`process.hrtime`, µs). */
  timedUs: { start: number; end: number };
  /**
   * With a case's `stage`: seconds from the start until its last record arrived; with a
   * `drainedGroup`: until the group had committed every input record.
   */
  stageSeconds?: number;
  /** With `--broker-requests`: what the broker received and sent in the timed part (requests by API, `bytes in`, `bytes out`). */
  broker?: Map<string, number>;
  /**
   * With a `stage` or `drainedGroup`: the last service's main thread before the stage was complete
   * (or the input committed) and in the tail after it, from its scheduler times (see {@link Phase}).
   */
  phases?: { before: Phase; tail: Phase };
}

/** A main thread over part of a run: shares of the wall time it ran, waited for a CPU, and slept. */
interface Phase {
  ran: number;
  waited: number;
  slept: number;
}

/** {@link Phase} of the interval from `a` to `b` (scheduler times) lasting `seconds`. */
function phaseOf(a: SchedTimes, b: SchedTimes, seconds: number): Phase {
  const ran = (b.ran - a.ran) / seconds;
  const waited = (b.waited - a.waited) / seconds;
  return { ran, waited, slept: Math.max(0, 1 - ran - waited) };
}

/** What a case needs: where records go in, where they come out, and what runs in between. */
interface Case {
  name: string;
  /** Services of the local stack; none for the reference (a plain broker). */
  services: string[];
  output: string;
  /** Input rate (records/s); unset sends as fast as the producer can. */
  perSecond?: number;
  warmup: boolean;
  /** Input written by kcat in this codec instead of by kafkajs (uncompressed). */
  kcatCodec?: 'none' | 'lz4' | 'zstd';
  /** Records expected on `output` for the given inputs (default: one per input). */
  expected?: (inputs: number) => number;
  /** Extra environment for the case's services. */
  env?: Record<string, string>;
  /** Output timestamps are event times, not produce times: no latency. */
  noLatency?: boolean;
  /** The case whose rate this one is compared with (besides the reference). */
  compareWith?: string;
  /** Input topic (default `transactions`). */
  input?: string;
  /** Keyed input records of its own instead of the purchases. */
  records?: { warmup: Message[]; timed: Message[] };
  /** Done when this consumer group has no lag on its input and repartition topics (instead of counting `output`). */
  drainedGroup?: string;
  /**
   * An intermediate topic (one record per input) also counted: the line gives when its last record
   * arrived and the tail from then to the last output (what the last service adds after its input
   * is complete: processing it owes, commits and repartition round trips).
   */
  stage?: string;
  /**
   * Instances of the case's last service (default 1): more join its consumer group as further
   * processes (`<service>-2`, ...), the way Kafka Streams scales an application over cores and hosts.
   */
  instances?: number;
}

/** A record to produce: optional key, value. */
interface Message {
  key?: string;
  value: Buffer;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const rateOf = (r: Run): number => r.records / r.seconds;
const sortedLatencies = (r: Run): number[] => [...r.latenciesMs].sort((a, b) => a - b);
const p50Of = (r: Run): number => percentile(sortedLatencies(r), 50);
const p99Of = (r: Run): number => percentile(sortedLatencies(r), 99);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** One line per case: the median rate and p99 over the runs, every run's rate, and the ratio to the reference. */
function line(
  c: Case,
  client: KafkaClientName,
  label: string,
  runs: Run[],
  referenceRate: number | undefined,
  compared?: { name: string; rate: number },
): string {
  const rate = median(runs.map(rateOf));
  let s = `${`${c.name} [${label}]`.padEnd(40)} ${String(runs[0]!.records).padStart(7)} records  median ${fmt(rate).padStart(8)} records/s`;
  if (!c.noLatency) {
    s += `  p50 ${median(runs.map(p50Of)).toFixed(0)} ms`;
    s += `  p99 ${median(runs.map(p99Of)).toFixed(0)} ms`;
  }
  // A paced case runs at the rate it is given: a ratio to the reference would say nothing.
  if (referenceRate !== undefined && c.name !== 'reference' && c.perSecond === undefined)
    s += `  ${(rate / referenceRate).toFixed(2)}x ${client} reference`;
  if (compared) s += `  ${(rate / compared.rate).toFixed(2)}x ${compared.name}`;
  if (c.stage || c.drainedGroup) {
    const stageMs = median(runs.map((r) => (r.stageSeconds ?? NaN) * 1000));
    const tailMs = median(runs.map((r) => (r.seconds - (r.stageSeconds ?? NaN)) * 1000));
    s += c.stage
      ? `  ${c.stage} complete at ${stageMs.toFixed(0)} ms, then ${tailMs.toFixed(0)} ms to the last ${c.output}`
      : `  ${c.input} committed at ${stageMs.toFixed(0)} ms, then ${tailMs.toFixed(0)} ms to lag 0`;
    // How much of the run the last service's main thread worked (the rest it waited: for input,
    // acknowledgements, commits, its repartition records).
    const last = c.services[c.services.length - 1]!;
    const busy = median(runs.map((r) => (r.cpu.get(`${last}${MAIN_THREAD}`) ?? NaN) / r.seconds));
    s += `, ${last} main thread busy ${(busy * 100).toFixed(0)} %`;
    // Whether it waited for work or for a CPU (the other processes and, on a shared machine, anyone
    // else's), before the stage was complete and in the tail: medians of each share over the runs.
    if (runs.every((r) => r.phases)) {
      const pct = (f: (r: Run) => number) => `${(median(runs.map(f)) * 100).toFixed(0)} %`;
      const phase = (p: 'before' | 'tail') =>
        `ran ${pct((r) => r.phases![p].ran)}, waited for a CPU ${pct((r) => r.phases![p].waited)}, slept ${pct((r) => r.phases![p].slept)}`;
      s += ` (before: ${phase('before')}; tail: ${phase('tail')})`;
    }
    // The case's processes together against the machine's cores: near 100 % the case is CPU-bound;
    // well below it (on a quiet machine) it waits (commits, repartition hops, the tail).
    const share = median(
      runs.map((r) => {
        let cpu = 0;
        for (const [k, v] of r.cpu) if (!k.endsWith(MAIN_THREAD)) cpu += v;
        return cpu / (os.cpus().length * r.seconds);
      }),
    );
    s += `, all processes ${(share * 100).toFixed(0)} % of ${os.cpus().length} cores`;
  }
  if (runs.length > 1) s += `  (runs: ${runs.map((r) => fmt(rateOf(r))).join(', ')})`;
  if (runs[0]!.broker) s += `  ${brokerTraffic(runs)}`;
  // CPU per record of each process (median over the runs): where the time goes; for a process of
  // the environment, its main thread's part in brackets (the rest is V8's GC and compiler threads,
  // libuv's pool and native threads).
  const perRecord = (k: string): number => median(runs.map((r) => ((r.cpu.get(k) ?? 0) / r.records) * 1e6));
  const names = [...runs[0]!.cpu.keys()].filter((k) => !k.endsWith(MAIN_THREAD));
  s += `  CPU µs/record: ${names
    .map((k) => {
      const main = runs[0]!.cpu.has(`${k}${MAIN_THREAD}`)
        ? ` (main ${perRecord(`${k}${MAIN_THREAD}`).toFixed(1)})`
        : '';
      return `${k} ${perRecord(k).toFixed(1)}${main}`;
    })
    .join(', ')}`;
  return s;
}

/**
 * The broker's traffic per timed record, medians over the runs: requests per 1,000 records by API
 * (most first) and bytes in and out per record.
 */
function brokerTraffic(runs: Run[]): string {
  const per = (key: string, scale: number) =>
    median(runs.map((r) => ((r.broker?.get(key) ?? 0) / r.records) * scale));
  const apis = [...new Set(runs.flatMap((r) => [...(r.broker?.keys() ?? [])]))].filter(
    (k) => !k.startsWith('bytes '),
  );
  const requests = apis
    .map((api) => ({ api, n: per(api, 1000) }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n)
    .map((x) => `${x.api} ${x.n.toFixed(2)}`);
  return (
    `broker requests per 1,000 records: ${requests.join(', ') || 'none'}; ` +
    `bytes per record: in ${per('bytes in', 1).toFixed(0)}, out ${per('bytes out', 1).toFixed(0)}`
  );
}

/** The broker's request counts by API and its bytes in and out so far, from its `/metrics`. */
async function scrapeBroker(metricsPort: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const out = new Map<string, number>();
  for (const l of text.split('\n')) {
    const m = /^kafka_server_(requests_total\{api="([^"]+)"\}|bytes_in_total|bytes_out_total) (\S+)$/.exec(l);
    if (!m) continue;
    const key = m[2] ?? (m[1] === 'bytes_in_total' ? 'bytes in' : 'bytes out');
    out.set(key, Number(m[3]));
  }
  return out;
}

async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until `test` resolves true, polling every `everyMs`. */
async function untilAsync(
  test: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * How often {@link drained} is polled. The timed run ends at the first check that finds the group
 * drained, so a run is measured up to one poll too long (half of one on average): 125 ms at the
 * former 250 ms, against runs of 3-4 s. A check costs one OffsetFetch until the input is committed (below).
 */
const DRAINED_POLL_MS = 50;
/**
 * The least time from the start of the warm-up to the timed part: longer than the consumers'
 * heartbeat interval (3 s), whose first beat loads and compiles code once.
 */
const WARMUP_MIN_MS = 4_000;

/**
 * True when `groupId` has committed every record of `input` and of its repartition topics
 * (`<groupId>-...-repartition`), i.e. every sub-topology processed everything.
 *
 * The committed offsets are read before the end offsets: a record written to a repartition topic
 * after the end offsets were read (by a sub-topology whose input commit comes later) would else be
 * missed, and the group reported drained early. Read in this order, every record a committed input
 * offset accounts for was written before its commit (the runtime commits after its sends are
 * acknowledged), so it is inside the end offsets read afterwards, and a later commit can only
 * make the group look less drained, never more.
 */
async function drained(
  admin: Admin,
  groupId: string,
  input: string,
  total: number,
  onInputCommitted?: () => void,
): Promise<boolean> {
  // Cheap first: until the group has committed `total` input records, it is not drained (one
  // OffsetFetch; the topic list and the end offsets, 13 more requests, only once it has).
  const inputCommitted = (await admin.fetchOffsets({ groupId, topics: [input] }))
    .flatMap((t) => t.partitions)
    .reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  if (inputCommitted < total) return false;
  onInputCommitted?.();
  const topics = [
    input,
    ...(await admin.listTopics()).filter((t) => t.startsWith(`${groupId}-`) && t.endsWith('-repartition')),
  ];
  const committed = await admin.fetchOffsets({ groupId, topics });
  const ends = new Map<string, number>();
  for (const t of topics)
    for (const p of await admin.fetchTopicOffsets(t)) ends.set(`${t}/${p.partition}`, Number(p.high));
  const inputEnd = [...ends].filter(([k]) => k.startsWith(`${input}/`)).reduce((n, [, v]) => n + v, 0);
  if (inputEnd < total) return false;
  for (const t of topics) {
    const partitions = committed.find((c) => c.topic === t)?.partitions ?? [];
    for (const [key, end] of ends) {
      if (!key.startsWith(`${t}/`) || end === 0) continue;
      const partition = Number(key.slice(t.length + 1));
      const p = partitions.find((c) => c.partition === partition);
      if (p === undefined || Number(p.offset) < end) return false;
    }
  }
  return true;
}

/** Writes `values` (one line each) to `topic` with kcat in `codec`, acks=all; resolves when kcat exits. */
function produceWithKcat(bootstrap: string, topic: string, values: Buffer[], codec: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cp = spawn(
      'kcat',
      ['-P', '-b', bootstrap, '-t', topic, '-z', codec, '-X', 'acks=all', '-X', 'linger.ms=5'],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    cp.stderr.on('data', (d) => (stderr += d));
    cp.on('error', reject);
    cp.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`kcat -z ${codec} failed (${code}): ${stderr}`)),
    );
    cp.stdin.end(Buffer.concat(values.flatMap((v) => [v, Buffer.from('\n')])));
  });
}

/** What a case runs on: the broker process, the services (if any), and a client for the bench. */
interface Environment {
  kafka: Kafka;
  bootstrap: string;
  /** Processes whose CPU time is reported, by name. */
  pids: Map<string, number>;
  /** Port of the broker's `/metrics` (with `--broker-requests`). */
  metricsPort: number | undefined;
  stop(): Promise<void>;
}

/** Starts the broker in its own process, then the case's services (none for the reference). */
async function environment(
  c: Case,
  dataDir: string,
  nodeArgs: string[],
  client: KafkaClientName,
  brokerNodeArgs: string[],
  brokerRequests: boolean,
): Promise<Environment> {
  const broker = await spawnBenchBroker(dataDir, {
    extraArgs: brokerRequests ? ['--metrics-port', '0'] : [],
    nodeArgs: brokerNodeArgs,
  });
  const pids = new Map([['broker', broker.child.pid!]]);
  try {
    if (c.services.length === 0) {
      const kafka = new Kafka({
        clientId: 'bench-ref',
        brokers: [broker.bootstrapServers],
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: c.output, numPartitions: 3 }] });
      await admin.disconnect();
      return {
        kafka,
        bootstrap: broker.bootstrapServers,
        pids,
        metricsPort: broker.metricsPort,
        stop: async () => {
          await broker.stop();
        },
      };
    }
    const stack = await LocalStack.start({
      kafkaBrokers: broker.bootstrapServers,
      dataDir,
      services: c.services.map(serviceNamed),
      httpPorts: 'ephemeral',
      nodeArgs,
      serviceEnv: { ...c.env, KAFKA_CLIENT: client },
    });
    const last = c.services[c.services.length - 1]!;
    for (let i = 2; i <= (c.instances ?? 1); i++) {
      const more = stack.startService(serviceNamed(last), `${last}-${i}`);
      await more.waitReady(90_000);
    }
    for (const s of stack.services) if (s.pid !== undefined) pids.set(s.instance, s.pid);
    return {
      kafka: stack.kafka('bench'),
      bootstrap: broker.bootstrapServers,
      pids,
      metricsPort: broker.metricsPort,
      stop: async () => {
        await stack.stop();
        await broker.stop();
      },
    };
  } catch (err) {
    await broker.stop();
    throw err;
  }
}

/** Now on the clock of V8's CPU profiles (CLOCK_MONOTONIC, as `process.hrtime`), in µs. */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Suffix of a process's main-thread CPU in a run's `cpu` map (`rewards/main`). */
const MAIN_THREAD = '/main';

/**
 * CPU seconds so far of the bench process and of every process of the environment (all threads),
 * and of each environment process's main thread (`<name>/main`).
 */
function cpuNow(env: Environment): Map<string, number> {
  const u = process.cpuUsage();
  const m = new Map([['bench', (u.user + u.system) / 1e6]]);
  for (const [name, pid] of env.pids) {
    const s = cpuSecondsOf(pid);
    if (s !== undefined) m.set(name, s);
    const main = mainThreadCpuSecondsOf(pid);
    if (main !== undefined) m.set(`${name}${MAIN_THREAD}`, main);
  }
  return m;
}

/**
 * Watches `topic`'s end offsets (every 25 ms: a few tiny requests, where a consumer of the topic
 * would take CPU from the case) until they sum to `total`; `stop()` resolves with when they did.
 * An input written in transactions counts its markers too (early by at most one commit).
 */
async function stageWatch(
  kafka: Kafka,
  topic: string,
  total: number,
  onReached?: () => void,
): Promise<{ stop(): Promise<number> }> {
  const admin = kafka.admin();
  await admin.connect();
  let at: number | undefined;
  let watching = true;
  const reached = async () =>
    (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0) >= total;
  const loop = (async () => {
    while (watching && at === undefined) {
      if (await reached()) {
        at = Date.now();
        onReached?.();
      } else await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      if (at === undefined && (await reached())) {
        at = Date.now();
        onReached?.();
      }
      await admin.disconnect();
      return at ?? NaN;
    },
  };
}

/** A bench record in the raw clients' form. */
const toBench = (m: Buffer | Message): BenchMessage =>
  Buffer.isBuffer(m)
    ? { value: m }
    : { key: m.key === undefined ? undefined : Buffer.from(m.key), value: m.value };

async function runCase(
  c: Case,
  client: KafkaClientName,
  warmup: Buffer[],
  values: Buffer[],
  nodeArgs: string[],
  brokerNodeArgs: string[],
  brokerRequests = false,
): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-bench-'));
  const env = await environment(c, dataDir, nodeArgs, client, brokerNodeArgs, brokerRequests);
  const scrape = async () =>
    env.metricsPort === undefined ? undefined : await scrapeBroker(env.metricsPort);
  // The bench's own producer and counting consumer use the case's client too.
  const raw = rawClient(client, env.bootstrap.split(','));
  try {
    const warmupRecords: Array<Buffer | Message> = c.records?.warmup ?? warmup;
    const timedRecords: Array<Buffer | Message> = c.records?.timed ?? values;
    const input = c.input ?? 'transactions';
    const group = c.drainedGroup;
    const out = group ? undefined : await raw.arrivals(c.output);
    const admin = group ? env.kafka.admin() : undefined;
    await admin?.connect();
    const expected = c.expected ?? ((inputs: number) => inputs);
    const before = c.warmup ? expected(warmupRecords.length) : 0;
    const write = (records: Array<Buffer | Message>, perSecond?: number) =>
      c.kcatCodec
        ? produceWithKcat(env.bootstrap, input, records as Buffer[], c.kcatCodec)
        : produceAll(raw, input, records.map(toBench), { perSecond });
    // With a drained group: when the group had committed every input record (the first sub-topology
    // is through; the rest of the run is the repartition topics' sub-topologies and their commits).
    let inputCommittedAt: number | undefined;
    // The last service's main thread's scheduler times at the start, when the stage was complete
    // (or the input committed) and at the end of the timed part.
    const lastPid = c.services.length > 0 ? env.pids.get(c.services[c.services.length - 1]!) : undefined;
    const sched = () => (lastPid === undefined ? undefined : mainThreadSchedOf(lastPid));
    let schedAtStage: SchedTimes | undefined;
    const waitFor = (count: number, what: string) =>
      group
        ? untilAsync(
            () =>
              drained(admin!, group, input, count, () => {
                if (inputCommittedAt === undefined) {
                  inputCommittedAt = Date.now();
                  schedAtStage = sched();
                }
              }),
            600_000,
            what,
            DRAINED_POLL_MS,
          )
        : until(() => out!.count() >= count, 600_000, what);
    if (c.warmup && warmupRecords.length > 0) {
      const warmStart = Date.now();
      await write(warmupRecords);
      await waitFor(before, `${before} warm-up records on ${c.output}`);
      // Past the clients' first heartbeat (kafkajs: 3 s after joining; it loads and compiles
      // modules once), so that one-off cost falls before the timed part, not in it.
      const settleMs = WARMUP_MIN_MS - (Date.now() - warmStart);
      if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
    }
    inputCommittedAt = undefined;
    schedAtStage = undefined;
    const brokerBefore = await scrape();
    const cpuBefore = cpuNow(env);
    const startUs = monotonicUs();
    const schedAtStart = sched();
    const started = Date.now();
    const stage = c.stage
      ? await stageWatch(
          env.kafka,
          c.stage,
          (c.warmup ? warmupRecords.length : 0) + timedRecords.length,
          () => (schedAtStage = sched()),
        )
      : undefined;
    await write(timedRecords, c.perSecond);
    const after = expected((c.warmup ? warmupRecords.length : 0) + timedRecords.length);
    await waitFor(after, `${after - before} records on ${c.output}`);
    const seconds = (Date.now() - started) / 1000;
    const schedAtEnd = sched();
    const cpu = new Map([...cpuNow(env)].map(([k, v]) => [k, v - (cpuBefore.get(k) ?? 0)]));
    const timedUs = { start: startUs, end: monotonicUs() };
    const brokerAfter = await scrape();
    const broker =
      brokerAfter && new Map([...brokerAfter].map(([k, v]) => [k, v - (brokerBefore?.get(k) ?? 0)]));
    const stageSeconds = stage
      ? ((await stage.stop()) - started) / 1000
      : inputCommittedAt !== undefined
        ? (inputCommittedAt - started) / 1000
        : undefined;
    await out?.stop();
    await admin?.disconnect();
    const phases =
      schedAtStart && schedAtStage && schedAtEnd && stageSeconds !== undefined && stageSeconds < seconds
        ? {
            before: phaseOf(schedAtStart, schedAtStage, stageSeconds),
            tail: phaseOf(schedAtStage, schedAtEnd, seconds - stageSeconds),
          }
        : undefined;
    return {
      records: timedRecords.length,
      seconds,
      latenciesMs: c.noLatency || !out ? [] : out.latencies.slice(before),
      cpu,
      pids: new Map([...env.pids, ['bench', process.pid]]),
      timedUs,
      stageSeconds,
      broker,
      phases,
    };
  } finally {
    await env.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function kcatMasking(codec: 'none' | 'lz4' | 'zstd'): Case {
  return {
    name: `masking kcat ${codec}`,
    services: ['masking'],
    output: 'purchases',
    warmup: true,
    kcatCodec: codec,
  };
}

/** False when the library refuses `exactly_once_v2` on `client` (as the services would at start). */
function hasTransactions(client: KafkaClientName): boolean {
  const b = new StreamsBuilder();
  b.stream('in').to('out');
  try {
    new KafkaStreams(b.build(), {
      applicationId: 'bench-probe',
      bootstrapServers: ['127.0.0.1:9'],
      kafkaClient: client,
      processingGuarantee: 'exactly_once_v2',
      stateDir: os.tmpdir(),
    });
    return true;
  } catch {
    return false;
  }
}

/** Short label of a guarantee in lines. */
const short = (g: Guarantee | undefined): string =>
  g === undefined ? '' : g === 'exactly_once_v2' ? ', eos' : ', alos';

/**
 * Runs the selected cases `flags.runs` times, interleaved, with each client (and each guarantee of
 * `--guarantees`), and prints one line per case, client and guarantee, then the exactly-once
 * penalty per case and client. Throws {@link BenchUsageError} for an unknown client.
 */
export async function runPipelineBench(flags: BenchFlags): Promise<void> {
  const clients = flags.clients ?? [...KAFKA_CLIENTS];
  for (const name of clients)
    if (!(KAFKA_CLIENTS as readonly string[]).includes(name))
      throw new BenchUsageError(`--clients: unknown client "${name}"; known: ${KAFKA_CLIENTS.join(', ')}`);
  const { records: n, warmup: warmupCount, runs, pacedRate, pacedSeconds, cases: selected } = flags;
  const guarantees: ReadonlyArray<Guarantee | undefined> = flags.guarantees ?? [undefined];
  /** Guarantees a client runs (a client without transactions skips exactly_once_v2). */
  const guaranteesOf = new Map(
    clients.map((client) => [
      client,
      guarantees.filter((g) => g !== 'exactly_once_v2' || hasTransactions(client)),
    ]),
  );
  const nodeArgs = [...flags.nodeArgs];
  const brokerNodeArgs = [...flags.brokerNodeArgs];
  /** With --profile: every run's timed window and process ids, for ./profile-summary.ts. */
  let manifest: string | undefined;
  if (flags.profile) {
    const dir = path.resolve(flags.profile);
    fs.mkdirSync(dir, { recursive: true });
    const prof = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
    nodeArgs.push(...prof);
    brokerNodeArgs.push(...prof);
    manifest = path.join(dir, PROFILE_MANIFEST);
  }
  if (flags.heapProfile) {
    const dir = path.resolve(flags.heapProfile);
    fs.mkdirSync(dir, { recursive: true });
    // The services inherit this process's environment.
    process.env.GMART_HEAP_PROFILE_DIR = dir;
    nodeArgs.push('-r', path.join(__dirname, 'heap-sampling.cjs'));
  }
  const serde = GmartSerdes.Purchase().serializer();
  const purchases = new PurchaseGenerator({ seed: 1, customers: 1000 }).take(warmupCount + n);
  const all = purchases.map((p) => serde.serialize('transactions', p)!);
  const warmup = all.slice(0, warmupCount);
  const values = all.slice(warmupCount);
  const paced = values.slice(0, Math.min(values.length, pacedRate * pacedSeconds));
  const stockSerde = GmartSerdes.StockTransaction().serializer();
  const stockGenerator = new StockGenerator({ seed: 1, startTime: Date.now() }); // the generator's defaults: 100 clients, 10 ms apart
  const stockRecords: Message[] = Array.from({ length: warmupCount + n }, () => {
    const t = stockGenerator.nextTransaction();
    return { key: t.symbol, value: stockSerde.serialize('stock-transactions', t)! };
  });
  const stocksCase: Case = {
    name: 'stock-analytics',
    services: ['stock-analytics'],
    output: 'stock-transactions (group lag 0)',
    input: 'stock-transactions',
    records: { warmup: stockRecords.slice(0, warmupCount), timed: stockRecords.slice(warmupCount) },
    drainedGroup: 'gmart-stock-analytics',
    warmup: true,
    noLatency: true,
    // The service's own guarantee (exactly_once_v2) unless --guarantee(s) says otherwise: the
    // runtime commits the consumer's position, past the transaction markers that end every
    // repartition partition, so the group's lag reaches 0 under exactly-once too. The commit
    // interval is the service's own (the library default, 100 ms under exactly-once, as Kafka
    // Streams): repartitioned trades become visible to the next sub-topology at each commit.
    compareWith: 'masking',
  };
  const cases: Record<(typeof CASE_NAMES)[number], Case> = {
    reference: { name: 'reference', services: [], output: 'transactions', warmup: true },
    masking: { name: 'masking', services: ['masking'], output: 'purchases', warmup: true },
    pipeline: {
      name: 'masking+patterns+rewards',
      services: ['masking', 'patterns', 'rewards'],
      output: 'rewards',
      warmup: true,
    },
    paced: {
      name: `pipeline paced ${pacedRate}/s`,
      services: ['masking', 'patterns', 'rewards'],
      output: 'rewards',
      perSecond: pacedRate,
      warmup: true,
    },
    coupons: {
      name: 'masking+coupon-join',
      services: ['masking', 'coupon-join'],
      output: 'coupons',
      warmup: true,
      expected: (inputs) => couponCount(purchases.slice(0, inputs)),
      env: { JOIN_GRACE_MS: String(JOIN_GRACE_MAX_MS) },
      noLatency: true,
      compareWith: 'masking',
      stage: 'purchases',
    },
    stocks: stocksCase,
    // The same with a second stock-analytics process in its group (the tasks shared out between
    // them): what one more instance on the same two cores buys.
    'stocks-x2': { ...stocksCase, name: 'stock-analytics x2', instances: 2 },
    'masking-kcat-none': kcatMasking('none'),
    'masking-kcat-lz4': kcatMasking('lz4'),
    'masking-kcat-zstd': kcatMasking('zstd'),
  };
  const chosen = CASE_NAMES.filter((k) => selected.includes(k));
  console.log(
    `bench:pipeline on ${os.cpus().length} cores (load average ${os.loadavg()[0]!.toFixed(1)} at start), clients ${clients.join(', ')}, ` +
      `${flags.guarantees ? `PROCESSING_GUARANTEE ${flags.guarantees.join(', ')}` : "the services' own guarantees"}, Node ${process.version}, embedded broker and every service each in its own process; ` +
      `${warmupCount} warm-up + ${n} timed records per run, ${runs} run(s) per case, medians`,
  );
  for (const client of clients)
    if (guaranteesOf.get(client)!.length < guarantees.length)
      console.log(
        `${client}: exactly_once_v2 skipped (the library refuses it on this client: no transactions)`,
      );
  const results = new Map<string, Run[]>();
  // The reference has no services: one per client, whatever the guarantee.
  const keyOf = (k: string, client: KafkaClientName, g: Guarantee | undefined) =>
    `${k}/${client}/${k === 'reference' ? '' : (g ?? '')}`;
  const runsOf = (k: string, client: KafkaClientName, g?: Guarantee) => results.get(keyOf(k, client, g));
  for (let i = 0; i < runs; i++) {
    // Clients (and guarantees) interleaved within each case; the one going first alternates between runs.
    const order = i % 2 === 0 ? clients : [...clients].reverse();
    for (const k of chosen) {
      for (const client of order) {
        const own = guaranteesOf.get(client)!;
        const gs = k === 'reference' ? [undefined] : i % 2 === 0 ? own : [...own].reverse();
        for (const g of gs) {
          const c = cases[k];
          const withGuarantee = g ? { ...c, env: { ...c.env, PROCESSING_GUARANTEE: g } } : c;
          const run = await runCase(
            withGuarantee,
            client,
            warmup,
            k === 'paced' ? paced : values,
            nodeArgs,
            brokerNodeArgs,
            flags.brokerRequests,
          );
          if (manifest)
            fs.appendFileSync(
              manifest,
              JSON.stringify({
                case: c.name,
                client,
                guarantee: g ?? null,
                run: i + 1,
                records: run.records,
                startUs: run.timedUs.start,
                endUs: run.timedUs.end,
                pids: Object.fromEntries(run.pids),
              } satisfies ProfiledRun) + '\n',
            );
          console.log(`run ${i + 1} ${c.name} [${client}${short(g)}]: ${fmt(rateOf(run))} records/s`);
          results.set(keyOf(k, client, g), [...(runsOf(k, client, g) ?? []), run]);
        }
      }
    }
  }
  const medianRate = (k: string, client: KafkaClientName, g?: Guarantee) => {
    const r = runsOf(k, client, g);
    return r ? median(r.map(rateOf)) : undefined;
  };
  for (const k of chosen) {
    for (const g of k === 'reference' ? [undefined] : guarantees) {
      for (const client of clients) {
        const r = runsOf(k, client, g);
        if (!r) continue;
        const other = cases[k].compareWith as (typeof CASE_NAMES)[number] | undefined;
        const otherRate = other ? medianRate(other, client, g) : undefined;
        const compared =
          other && otherRate !== undefined
            ? { name: `${cases[other].name} [${client}${short(g)}]`, rate: otherRate }
            : undefined;
        const label = `${client}${short(g)}`;
        console.log(line(cases[k], client, label, r, medianRate('reference', client), compared));
      }
      const kafkajs = medianRate(k, 'kafkajs', g);
      const platformatic = medianRate(k, 'platformatic', g);
      if (kafkajs !== undefined && platformatic !== undefined)
        console.log(
          `${cases[k].name}${g ? ` (${g})` : ''}: platformatic / kafkajs = ${(platformatic / kafkajs).toFixed(2)}x`,
        );
    }
    // The exactly-once penalty of the case, per client: same run, medians of the interleaved runs.
    for (const client of clients) {
      const alos = medianRate(k, client, 'at_least_once');
      const eos = medianRate(k, client, 'exactly_once_v2');
      if (k === 'reference' || alos === undefined || eos === undefined) continue;
      const ratio = eos / alos;
      console.log(
        `${cases[k].name} [${client}]: exactly_once_v2 / at_least_once = ${ratio.toFixed(2)}x, ` +
          `exactly-once penalty ${((1 - ratio) * 100).toFixed(1)} % (target <= 30 %)`,
      );
    }
  }
  // Compressed input against uncompressed input written by the same producer (kcat), same run.
  for (const client of clients) {
    const plain = runsOf('masking-kcat-none', client);
    if (!plain) continue;
    const base = median(plain.map(rateOf));
    for (const k of ['masking-kcat-lz4', 'masking-kcat-zstd'] as const) {
      const r = runsOf(k, client);
      if (r)
        console.log(
          `${cases[k].name} [${client}]: ${(median(r.map(rateOf)) / base).toFixed(2)}x masking kcat none [${client}]`,
        );
    }
  }
  console.log(`load average at the end ${os.loadavg()[0]!.toFixed(1)} (${os.cpus().length} cores)`);
}
