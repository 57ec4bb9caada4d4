/**
 * `npm run bench:collector`: CPU microseconds and young-GC survivors per record of the runtime's
 * producer path (RuntimeRecordCollector -> kafkajs client seam -> patched kafkajs encoding) against
 * the embedded broker in its own process, with records made as a stream task makes them: a fresh
 * 286-byte value per record (the masking service's output size), no key (explicit partition, 3
 * partitions) or a key of 1,000 (`COLLECTOR_KEYED=1`, partitioned by murmur2), empty headers, the
 * metrics producer interceptor. Records are handed over COLLECTOR_POLL at a time (a fetch batch's
 * worth), then `dispatch()`, backpressure and a turn of the event loop, as the stream thread does.
 *
 * After a warm-up round, each round prints this process's CPU per record, the broker's, and its
 * garbage collections per record (`gcSummary`: bytes allocated and surviving young collections,
 * load-independent); the last line gives the CPU medians. Env: COLLECTOR_RECORDS (default 100000), COLLECTOR_ROUNDS (default 5), COLLECTOR_POLL
 * (default 500), COLLECTOR_KEYED. Run it with the services' Node flags (the npm script does).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { Registry } from 'prom-client';
import { benchCommandLine } from '@gmart/command-line';
import { gcSummary, median } from '@gmart/bench-support';
import { KafkajsClientFactory, MetricsProducerInterceptor } from '@gmart/streams';
import { spawnBrokerProcess } from '@gmart/embedded-kafka/process';
import { ProducerMetadata } from '../../libs/streams/src/processor/internals/producer-metadata';
import { RuntimeRecordCollector } from '../../libs/streams/src/processor/internals/runtime-record-collector';
import { cpuSecondsOf } from '../bench-pipeline/cpu-time';

const USAGE = `Usage: npm run bench:collector

CPU and young-GC survivors per record of RuntimeRecordCollector -> kafkajs seam -> broker, records
made fresh as a stream task makes them. Settings come from the environment: COLLECTOR_RECORDS
(default 100000), COLLECTOR_ROUNDS (default 5), COLLECTOR_POLL (records per dispatch, default 500),
COLLECTOR_KEYED=1 (keyed records partitioned by murmur2 instead of explicit partitions).

  -h, --help   show this help
`;
benchCommandLine('bench:collector', USAGE);

const RECORDS = Number(process.env.COLLECTOR_RECORDS ?? 100_000);
const ROUNDS = Number(process.env.COLLECTOR_ROUNDS ?? 5);
const POLL = Number(process.env.COLLECTOR_POLL ?? 500);
const KEYED = process.env.COLLECTOR_KEYED === '1';
const PARTITIONS = 3;
const TOPIC = 'out';
const silent = { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };

interface Sample {
  client: number;
  broker: number;
  gc: string;
}

async function round(f: KafkajsClientFactory, brokerPid: number): Promise<Sample> {
  const producer = f.producer();
  await producer.connect();
  const metadata = new ProducerMetadata(
    new Map([[TOPIC, PARTITIONS]]),
    async () => new Map(),
    300_000,
    silent,
  );
  const interceptors = [new MetricsProducerInterceptor('bench', new Registry())];
  const collector = new RuntimeRecordCollector(producer, 2000, metadata, interceptors, silent);
  const onFailure = () => {};
  const now = Date.now();
  const profiler = new GCProfiler();
  const usedAtStart = getHeapStatistics().used_heap_size;
  profiler.start();
  const c0 = process.cpuUsage();
  const b0 = cpuSecondsOf(brokerPid) ?? 0;
  for (let i = 0; i < RECORDS;) {
    for (let j = 0; j < POLL && i < RECORDS; j++, i++) {
      const value = Buffer.allocUnsafe(286).fill(i & 255);
      collector.send(
        {
          topic: TOPIC,
          partition: KEYED ? undefined : i % PARTITIONS,
          key: KEYED ? Buffer.from(`key-${i % 1000}`) : null,
          value,
          timestamp: now + i,
          headers: {},
        },
        onFailure,
      );
    }
    collector.dispatch();
    if (collector.needsBackpressure()) await collector.waitForCapacity();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await collector.flush();
  const used = process.cpuUsage(c0);
  const broker = (((cpuSecondsOf(brokerPid) ?? 0) - b0) * 1e6) / RECORDS;
  const gc = gcSummary(profiler.stop(), usedAtStart, RECORDS);
  await producer.disconnect();
  return { client: (used.user + used.system) / RECORDS, broker, gc };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-collector-'));
  const broker = await spawnBrokerProcess(['--port', '0', '--data-dir', dir, '--quiet']);
  try {
    const f = new KafkajsClientFactory({
      bootstrapServers: [broker.bootstrapServers],
      clientId: 'bench-collector',
      logger: silent,
    });
    const admin = f.admin();
    await admin.connect();
    await admin.createTopics([{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1, config: {} }]);
    await admin.disconnect();
    const samples: Sample[] = [];
    // Round 0 warms up (JIT, connections) and is not counted.
    for (let r = 0; r <= ROUNDS; r++) {
      const s = await round(f, broker.child.pid!);
      if (r > 0) samples.push(s);
      console.log(
        `round ${r}${r === 0 ? ' (warm-up)' : ''}: client ${s.client.toFixed(2)} µs/record, broker ${s.broker.toFixed(2)}; per record: ${s.gc}`,
      );
    }
    console.log(
      `${RECORDS} records x ${ROUNDS} rounds, ${KEYED ? 'keyed' : 'explicit partitions'}, ${POLL} per dispatch: median client ${median(samples.map((s) => s.client)).toFixed(2)} µs/record, broker ${median(samples.map((s) => s.broker)).toFixed(2)}; load average ${os.loadavg()[0]!.toFixed(1)} (${os.cpus().length} cores)`,
    );
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
