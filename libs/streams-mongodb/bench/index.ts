/**
 * Benchmark: documents/s stored end to end, `purchases` topic -> KafkaStreams -> MongoSink ->
 * embedded MongoDB, against a same-run reference (the raw driver's `bulkWrite` of the same
 * documents, the ceiling the sink can reach). Cases run interleaved `BENCH_RUNS` times (default
 * 3); one line per case with the median, every run, and the ratio of the medians to the reference.
 * `BENCH_DOCUMENTS` (default 60000) documents per run.
 *
 *   npm run bench -w @gmart/streams-mongodb
 */
import { benchCommandLine } from '@gmart/command-line';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { EmbeddedMongo, MongoLoggers } from '@gmart/embedded-mongo';
import { Consumed, KafkaStreams, Serdes, StreamsBuilder } from '@gmart/streams';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { AnyBulkWriteOperation, Document, MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { MongoSink } from '../src';
import { median } from '@gmart/bench-support';

const USAGE = `Usage: npm run bench -w @gmart/streams-mongodb

Documents/s stored end to end (purchases -> KafkaStreams -> MongoSink -> embedded MongoDB)
against the raw driver's bulkWrite in the same run.

Settings come from the environment: BENCH_RUNS (default 3), BENCH_DOCUMENTS (default 60000).

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench @gmart/streams-mongodb', USAGE);

const N = Number(process.env.BENCH_DOCUMENTS ?? 60000);
const PARTITIONS = 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface PurchaseLike {
  firstName: string;
  lastName: string;
  customerId: string;
  creditCardNumber: string;
  itemPurchased: string;
  department: string;
  employeeId: string;
  quantity: number;
  price: number;
  purchaseDate: string;
  zipCode: string;
  storeId: string;
}

function purchase(i: number): PurchaseLike {
  return {
    firstName: `first${i % 500}`,
    lastName: `last${i % 300}`,
    customerId: String(10000000 + (i % 500)),
    creditCardNumber: `xxxx-xxxx-xxxx-${String(1000 + (i % 9000))}`,
    itemPurchased: `item-${i % 97}`,
    department: ['coffee', 'electronics', 'grocery'][i % 3],
    employeeId: String(100000 + (i % 60)),
    quantity: 1 + (i % 5),
    price: 5.5 + (i % 200),
    purchaseDate: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    zipCode: String(10000 + (i % 20)),
    storeId: `store-${i % 20}`,
  };
}

function doc(p: PurchaseLike): Document {
  return { ...p, purchaseDate: new Date(p.purchaseDate) };
}

async function reference(mongo: EmbeddedMongo, batchSize: number, run: number): Promise<number> {
  const client = await MongoClient.connect(mongo.uri);
  const coll = client.db('bench').collection(`reference-${batchSize}-${run}`);
  await coll.createIndexes([
    { key: { purchaseDate: 1 } },
    { key: { customerId: 1 } },
    { key: { storeId: 1 } },
  ]);
  const docs = Array.from({ length: N }, (_, i) => ({
    id: `purchases-${i % PARTITIONS}-${i}`,
    doc: doc(purchase(i)),
  }));
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i += batchSize) {
    const ops: AnyBulkWriteOperation<Document>[] = docs
      .slice(i, i + batchSize)
      .map((d) => ({ replaceOne: { filter: { _id: d.id as never }, replacement: d.doc, upsert: true } }));
    await coll.bulkWrite(ops, { ordered: false });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if ((await coll.countDocuments()) !== N) throw new Error('reference: wrong document count');
  await client.close();
  return N / seconds;
}

async function endToEnd(
  broker: EmbeddedKafka,
  mongo: EmbeddedMongo,
  topic: string,
  batchSize: number,
  run: number,
): Promise<number> {
  const client = await MongoClient.connect(mongo.uri);
  const coll = client.db('bench').collection(`sink-${batchSize}-${run}`);
  const registry = new Registry();
  const b = new StreamsBuilder();
  b.stream(topic, Consumed.with(Serdes.String(), Serdes.Json<PurchaseLike>())).process(
    MongoSink.supplier<string, PurchaseLike>({
      name: `bench-${batchSize}`,
      collection: coll,
      document: (r) => doc(r.value),
      indexes: [{ key: { purchaseDate: 1 } }, { key: { customerId: 1 } }, { key: { storeId: 1 } }],
      batchSize,
      metricsRegistry: registry,
    }),
  );
  const streams = new KafkaStreams(b.build(), {
    applicationId: `bench-sink-${batchSize}-${Date.now()}`,
    bootstrapServers: [broker.bootstrapServers],
    commitIntervalMs: 1000,
    logger: silent,
    metricsRegistry: registry,
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sink-state-')),
  });
  const written = async () => {
    const m = (await registry.getMetricsAsJSON()).find(
      (x) => x.name === 'mongodb_sink_documents_written_total',
    );
    return m ? m.values.reduce((s, v) => s + Number(v.value), 0) : 0;
  };
  const start = process.hrtime.bigint();
  await streams.start();
  while ((await written()) < N) await new Promise((r) => setTimeout(r, 20));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await streams.close({ timeoutMs: 10000 });
  if ((await coll.countDocuments()) !== N) throw new Error('end to end: wrong document count');
  await client.close();
  return N / seconds;
}

async function main(): Promise<void> {
  const kafkaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sink-kafka-'));
  const mongoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sink-mongo-'));
  const broker = await EmbeddedKafka.start({ port: 0, dataDir: kafkaDir, groupInitialRebalanceDelayMs: 0 });
  const mongo = await EmbeddedMongo.start({ port: 0, dataDir: mongoDir, logger: MongoLoggers.silent() });
  const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
  const topic = 'purchases';
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < N; i += 2000) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: Math.min(2000, N - i) }, (_, j) => ({
        key: String(i + j),
        value: JSON.stringify(purchase(i + j)),
        partition: (i + j) % PARTITIONS,
      })),
    });
  }
  await producer.disconnect();
  if (!Number.isInteger(RUNS) || RUNS < 1)
    throw new Error(`BENCH_RUNS must be a whole number >= 1, got "${process.env.BENCH_RUNS}"`);
  const cases: Array<{ name: string; run: (run: number) => Promise<number>; rates: number[] }> = [
    {
      name: `reference: raw driver bulkWrite replaceOne upserts, 1000/batch (${N} docs)`,
      run: (r) => reference(mongo, 1000, r),
      rates: [],
    },
    {
      name: 'end to end: purchases topic -> KafkaStreams -> MongoSink, batchSize 1000',
      run: (r) => endToEnd(broker, mongo, topic, 1000, r),
      rates: [],
    },
    {
      name: 'end to end: purchases topic -> KafkaStreams -> MongoSink, batchSize 200',
      run: (r) => endToEnd(broker, mongo, topic, 200, r),
      rates: [],
    },
  ];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  try {
    for (let run = 1; run <= RUNS; run++) for (const c of cases) c.rates.push(await c.run(run));
    const ref = median(cases[0]!.rates);
    for (const c of cases) {
      const m = median(c.rates);
      const ratio = c === cases[0] ? '' : `  ${(m / ref).toFixed(2)}x reference`;
      process.stdout.write(
        `${c.name.padEnd(78)} ${fmt(m).padStart(9)} documents/s median${ratio}  (runs: ${c.rates.map(fmt).join(', ')})\n`,
      );
    }
  } finally {
    await mongo.stop();
    await broker.stop();
    fs.rmSync(kafkaDir, { recursive: true, force: true });
    fs.rmSync(mongoDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`benchmark failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
