/**
 * `npm run bench:clients`: kafkajs against @platformatic/kafka on the embedded broker (in its own
 * process), every case with both clients in the same run, runs interleaved (the client going first
 * alternates), medians over `--runs`:
 *
 * - `produce`: `--records` 333-byte keyed records to a 4-partition topic, chunks of 1,000, 4 sends
 *   in flight, acks=all, through the client's own producer; timed until the last acknowledgement.
 * - `consume`: the same records, preloaded, read by a fresh group from the beginning through the
 *   client's own consumer; timed from the first record's arrival to the last.
 * - `reference`: produce -> consume with the same client: a consumer joined on the topic, the
 *   records produced, timed from the first send to the last arrival.
 * - `streams`: a KafkaStreams application (mapValues masking the card number, as the masking
 *   service) on `kafkaClient` = the client, RUNNING, then the records produced to its input;
 *   timed from the first send to the last output's arrival (produced and read with the same client).
 *   The ratio to `reference` of the same client is the runtime's cost.
 * - `rebalance`: the processing pause of the partitions an instance keeps while a second instance
 *   joins and leaves, eager against cooperative rebalancing (rebalance-pause.ts).
 *
 * Each line gives the median rate with every run, the ratio platformatic / kafkajs of the medians,
 * and for `streams` its ratio to the same client's reference. Absolute figures on shared machines
 * drift between sessions: compare ratios of the same run.
 *
 * Flags: --records <n> (default 100000), --runs <n> (default 3), --cases <list> (default
 * produce,consume,reference,streams,rebalance), --clients <list> (default kafkajs,platformatic).
 */
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  Consumed,
  KAFKA_CLIENTS,
  KafkaStreams,
  KafkaStreamsState,
  Produced,
  Serdes,
  StreamsBuilder,
  type KafkaClientName,
} from '@gmart/streams';
import { spawnBrokerProcess } from '@gmart/embedded-kafka/process';
import { produceAll, rawClient, until, type BenchMessage } from './raw-clients';
import { median, type BenchPurchase } from '@gmart/bench-support';
import { maskPurchase, purchaseRecord } from './records';
import { rebalancePauses, type RebalancePauses } from './rebalance-pause';

const PARTITIONS = 4;
const THROUGHPUT_CASES = ['produce', 'consume', 'reference', 'streams'] as const;
type ThroughputCase = (typeof THROUGHPUT_CASES)[number];
const CASES = [...THROUGHPUT_CASES, 'rebalance'] as const;
const silent = { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };

async function createTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** records/s of one case with one client on a fresh set of topics. */
async function throughput(
  c: ThroughputCase,
  client: KafkaClientName,
  brokers: string[],
  records: readonly BenchMessage[],
  tag: string,
): Promise<number> {
  const raw = rawClient(client, brokers);
  const n = records.length;
  const topic = `${c}-${tag}`;
  const output = `${topic}-out`;
  await createTopics(brokers, c === 'streams' ? [topic, output] : [topic]);
  if (c === 'produce') {
    const t0 = Date.now();
    await produceAll(raw, topic, records);
    return (n / (Date.now() - t0)) * 1000;
  }
  if (c === 'consume') {
    await produceAll(raw, topic, records);
    const out = await raw.arrivals(topic);
    try {
      await until(() => out.count() >= n, 600_000, `${n} records consumed`);
      return ((n - 1) / Math.max(1, out.last() - out.first())) * 1000;
    } finally {
      await out.stop();
    }
  }
  let streams: KafkaStreams | undefined;
  if (c === 'streams') {
    const S = Serdes.String();
    const J = Serdes.Json<BenchPurchase>();
    const b = new StreamsBuilder();
    b.stream(topic, Consumed.with(S, J)).mapValues(maskPurchase).to(output, Produced.with(S, J));
    streams = new KafkaStreams(b.build(), {
      applicationId: `bench-${tag}`,
      bootstrapServers: brokers,
      kafkaClient: client,
      commitIntervalMs: 1000,
      metricsRegistry: new Registry(),
      logger: silent,
    });
    await streams.start();
    await until(() => streams!.state() === KafkaStreamsState.RUNNING, 60_000, 'the application RUNNING');
  }
  try {
    const out = await raw.arrivals(c === 'streams' ? output : topic);
    try {
      const t0 = Date.now();
      await produceAll(raw, topic, records);
      await until(() => out.count() >= n, 600_000, `${n} records arrived`);
      return (n / (out.last() - t0)) * 1000;
    } finally {
      await out.stop();
    }
  } finally {
    await streams?.close();
  }
}

function positive(name: string, text: string | undefined, fallback: number): number {
  const v = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number >= 1, got "${text}"`);
  return v;
}

function listFlag<T extends string>(name: string, text: string | undefined, known: readonly T[]): T[] {
  const items = (text ?? known.join(',')).split(',').map((x) => x.trim());
  for (const x of items)
    if (!(known as readonly string[]).includes(x))
      throw new Error(`--${name}: unknown "${x}"; known: ${known.join(', ')}`);
  return items as T[];
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const USAGE = `Usage: npm run bench:clients -- [options]

kafkajs against @platformatic/kafka on the embedded broker, every case with both clients in the
same run, runs interleaved, medians.

  --records <n>     records per case (default 100000)
  --runs <n>        runs (default 3)
  --cases <list>    default ${CASES.join(',')}
  --clients <list>  default kafkajs,platformatic
  -h, --help        show this help
`;

/** The flags (strict): `--help` exits 0, an unknown flag or a missing value exits 2 naming it. */
function parseFlags(): Record<string, string | undefined> {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        records: { type: 'string' },
        runs: { type: 'string' },
        cases: { type: 'string' },
        clients: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    return { records: values.records, runs: values.runs, cases: values.cases, clients: values.clients };
  } catch (err) {
    process.stderr.write(`bench:clients: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const flags = parseFlags();
  const n = positive('records', flags.records, 100_000);
  const runs = positive('runs', flags.runs, 3);
  const cases = listFlag('cases', flags.cases, CASES);
  const clients = listFlag('clients', flags.clients, KAFKA_CLIENTS);
  const records = Array.from({ length: n }, (_, i) => purchaseRecord(i));
  const [load1] = os.loadavg();
  console.log(
    `bench:clients on ${os.cpus().length} cores (load average ${load1!.toFixed(1)} at start), Node ${process.version}, ` +
      `embedded broker in its own process; ${n} records of 333 bytes, ${PARTITIONS} partitions, ${runs} run(s), medians`,
  );
  const rates = new Map<string, number[]>();
  const pauses = new Map<string, RebalancePauses[]>();
  for (let run = 0; run < runs; run++) {
    const broker = await spawnBrokerProcess([
      '--port',
      '0',
      '--quiet',
      '--group-initial-rebalance-delay-ms',
      '0',
    ]);
    const brokers = broker.bootstrapServers.split(',');
    try {
      const order = run % 2 === 0 ? clients : [...clients].reverse();
      for (const c of cases) {
        if (c === 'rebalance') {
          const protocols =
            run % 2 === 0 ? (['eager', 'cooperative'] as const) : (['cooperative', 'eager'] as const);
          for (const protocol of protocols) {
            const r = await rebalancePauses(brokers, protocol, `${protocol}-${run}`);
            console.log(
              `run ${run + 1} rebalance ${protocol}: steady ${r.steady} ms, join ${r.join} ms, leave ${r.leave} ms`,
            );
            pauses.set(protocol, [...(pauses.get(protocol) ?? []), r]);
          }
          continue;
        }
        for (const client of order) {
          const rate = await throughput(c, client, brokers, records, `${client}-${run}`);
          console.log(`run ${run + 1} ${c} ${client}: ${fmt(rate)} records/s`);
          rates.set(`${c}/${client}`, [...(rates.get(`${c}/${client}`) ?? []), rate]);
        }
      }
    } finally {
      await broker.stop();
    }
  }
  console.log(`medians of ${runs} run(s):`);
  for (const c of cases) {
    if (c === 'rebalance') continue;
    for (const client of clients) {
      const xs = rates.get(`${c}/${client}`)!;
      let s = `${c.padEnd(10)} ${client.padEnd(13)} ${fmt(median(xs)).padStart(8)} records/s (runs: ${xs.map(fmt).join(', ')})`;
      const ref = rates.get(`reference/${client}`);
      if (c === 'streams' && ref) s += `  ${(median(xs) / median(ref)).toFixed(2)}x ${client} reference`;
      console.log(s);
    }
    const k = rates.get(`${c}/kafkajs`);
    const p = rates.get(`${c}/platformatic`);
    if (k && p)
      console.log(`${c.padEnd(10)} platformatic / kafkajs = ${(median(p) / median(k)).toFixed(2)}x`);
  }
  const eager = pauses.get('eager');
  const coop = pauses.get('cooperative');
  for (const [protocol, rs] of [
    ['eager', eager],
    ['cooperative', coop],
  ] as const) {
    if (!rs) continue;
    const m = (f: (r: RebalancePauses) => number) => median(rs.map(f)).toFixed(0);
    console.log(
      `rebalance ${protocol.padEnd(11)} kept partitions' longest pause: join ${m((r) => r.join)} ms, leave ${m((r) => r.leave)} ms ` +
        `(steady ${m((r) => r.steady)} ms; runs join ${rs.map((r) => r.join).join(', ')}, leave ${rs.map((r) => r.leave).join(', ')})`,
    );
  }
  if (eager && coop) {
    const ratio = (f: (r: RebalancePauses) => number) =>
      (median(coop.map(f)) / median(eager.map(f))).toFixed(2);
    console.log(
      `rebalance cooperative / eager pause: join ${ratio((r) => r.join)}x, leave ${ratio((r) => r.leave)}x`,
    );
  }
  console.log(`load average at the end ${os.loadavg()[0]!.toFixed(1)}`);
}

main().catch((err: unknown) => {
  console.error(`bench:clients failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
