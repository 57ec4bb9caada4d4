/**
 * `npm run bench:seam`: CPU microseconds per record of the runtime's client seam itself (no
 * streams runtime, no serdes), each client, against the embedded broker in its own process:
 *
 * - `send`: `StreamsProducer.send` of requests of 1,000 records (286-byte values, no key, explicit
 *   partition, empty headers: what the masking service's record collector hands over), one request
 *   in flight, acks=all;
 * - `fetch`: `StreamsConsumer.run` of a fresh group over the same records preloaded on a
 *   3-partition topic, the handler only counting; timed from the first batch to the last record.
 *
 * After a warm-up round, for each case, client and round: this process's CPU and the broker's, per record. Rounds
 * interleave the clients; lines give the minimum and the median over the rounds (the minimum is the
 * least disturbed by other load on a shared machine).
 *
 * Flags: --records <n> (default 50000), --rounds <n> (default 5), --clients <list>, --cases
 * <list> (default send,fetch).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFlags } from '@gmart/command-line';
import {
  KAFKA_CLIENTS,
  KafkajsClientFactory,
  PlatformaticClientFactory,
  type KafkaClientFactory,
  type KafkaClientName,
  type ProduceRecord,
} from '@gmart/streams';
import { spawnBrokerProcess } from '@gmart/embedded-kafka/process';
import { median } from '@gmart/bench-support';
import { cpuSecondsOf } from '../bench-pipeline/cpu-time';

const PARTITIONS = 3;
const REQUEST = 1000;
const silent = { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };

function factory(name: KafkaClientName, bootstrap: string): KafkaClientFactory {
  const connection = { bootstrapServers: [bootstrap], clientId: `seam-${name}`, logger: silent };
  return name === 'platformatic'
    ? new PlatformaticClientFactory(connection)
    : new KafkajsClientFactory(connection);
}

const cpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function records(topic: string, n: number, value: Buffer): ProduceRecord[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    topic,
    partition: i % PARTITIONS,
    key: null,
    value,
    timestamp: now + i,
    headers: {},
  }));
}

async function send(f: KafkaClientFactory, rs: ProduceRecord[]): Promise<void> {
  const producer = f.producer();
  await producer.connect();
  try {
    for (let i = 0; i < rs.length; i += REQUEST) await producer.send(rs.slice(i, i + REQUEST));
  } finally {
    await producer.disconnect();
  }
}

interface Sample {
  client: number;
  broker: number;
}

async function timedSend(f: KafkaClientFactory, rs: ProduceRecord[], brokerPid: number): Promise<Sample> {
  const producer = f.producer();
  await producer.connect();
  await producer.send(rs.slice(0, 10)); // connections and metadata
  const c0 = cpuUs();
  const b0 = cpuSecondsOf(brokerPid) ?? 0;
  for (let i = 0; i < rs.length; i += REQUEST) await producer.send(rs.slice(i, i + REQUEST));
  const sample = {
    client: (cpuUs() - c0) / rs.length,
    broker: (((cpuSecondsOf(brokerPid) ?? 0) - b0) * 1e6) / rs.length,
  };
  await producer.disconnect();
  return sample;
}

async function timedFetch(
  f: KafkaClientFactory,
  topic: string,
  n: number,
  brokerPid: number,
): Promise<Sample> {
  const consumer = f.consumer({
    groupId: `seam-${Math.random().toString(36).slice(2)}`,
    clientId: 'seam',
    assignor: (members, partitions) => {
      const plan = new Map(members.map((m) => [m, new Map<string, number[]>()]));
      for (const [t, count] of partitions)
        for (let p = 0; p < count; p++) {
          const m = plan.get(members[p % members.length]!)!;
          m.set(t, [...(m.get(t) ?? []), p]);
        }
      return plan;
    },
  });
  await consumer.connect();
  await consumer.subscribe([{ topics: [topic], fromBeginning: true }]);
  let seen = 0;
  let c0 = 0;
  let b0 = 0;
  let done: (s: Sample) => void;
  const finished = new Promise<Sample>((r) => (done = r));
  void consumer.run(
    async (batch) => {
      if (seen === 0) {
        c0 = cpuUs();
        b0 = cpuSecondsOf(brokerPid) ?? 0;
      }
      seen += batch.records.length;
      if (seen >= n)
        done({
          client: (cpuUs() - c0) / n,
          broker: (((cpuSecondsOf(brokerPid) ?? 0) - b0) * 1e6) / n,
        });
    },
    { onCrash: (e) => console.error(e) },
  );
  const sample = await finished;
  await consumer.disconnect();
  return sample;
}

async function main(): Promise<void> {
  const { values } = parseFlags(process.argv.slice(2), ['records', 'rounds', 'clients', 'cases']);
  const cases = values.cases?.split(',') ?? ['send', 'fetch'];
  const n = Number(values.records ?? 50_000);
  const rounds = Number(values.rounds ?? 5);
  const clients = (values.clients?.split(',') ?? [...KAFKA_CLIENTS]) as KafkaClientName[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-seam-'));
  const broker = await spawnBrokerProcess(['--port', '0', '--data-dir', dir, '--quiet']);
  const value = Buffer.alloc(286, 'x');
  try {
    const admin = factory('kafkajs', broker.bootstrapServers).admin();
    await admin.connect();
    await admin.createTopics(
      ['in', ...clients.map((c) => `out-${c}`)].map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
        replicationFactor: 1,
        config: {},
      })),
    );
    await admin.disconnect();
    await send(factory('kafkajs', broker.bootstrapServers), records('in', n, value));
    const results = new Map<string, Sample[]>();
    let counted = false;
    const add = (k: string, s: Sample) => {
      if (counted) results.set(k, [...(results.get(k) ?? []), s]);
    };
    const pid = broker.child.pid!;
    // Round -1 warms up (JIT, connections) and is not counted.
    for (let r = -1; r < rounds; r++) {
      counted = r >= 0;
      for (const c of r % 2 ? [...clients].reverse() : clients) {
        const f = factory(c, broker.bootstrapServers);
        if (cases.includes('send')) add(`send ${c}`, await timedSend(f, records(`out-${c}`, n, value), pid));
        if (cases.includes('fetch')) add(`fetch ${c}`, await timedFetch(f, 'in', n, pid));
      }
    }
    console.log(
      `seam CPU µs/record, ${n} records, ${rounds} rounds, load average ${os.loadavg()[0]!.toFixed(1)} (${os.cpus().length} cores)`,
    );
    for (const [k, ss] of results) {
      const f = (xs: number[]) => `min ${Math.min(...xs).toFixed(2)} median ${median(xs).toFixed(2)}`;
      console.log(
        `${k.padEnd(22)} client ${f(ss.map((s) => s.client))}   broker ${f(ss.map((s) => s.broker))}`,
      );
    }
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
