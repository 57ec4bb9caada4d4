/**
 * `npm run bench:restore -w @gmart/stock-analytics`: what a restart of stock-analytics costs in
 * restoration. RESTORE_TRADES (default 50000) trades of the seeded generator go through the whole
 * topology (`KafkaStreams` under RESTORE_GUARANTEE, default exactly_once_v2, against the embedded broker in its own process) until
 * the group has committed them all; the instance is closed cleanly and a new one started on the same
 * state directory (what a rolling restart does). Prints, per store, the changelog records restored
 * before RUNNING and the time from start to RUNNING. Persistent stores restore only what their
 * checkpoint lacks; in-memory stores read their whole changelog (after a crash under exactly-once
 * every store is wiped and restored in full, persistent or not).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { benchCommandLine } from '@gmart/command-line';
import { spawnBrokerProcess } from '@gmart/embedded-kafka/process';
import { GmartSerdes, StockGenerator } from '@gmart/gmart';
import { KafkaStreams, KafkaStreamsState } from '@gmart/streams';
import { buildStockAnalyticsTopology } from '../src';
import { stockAnalyticsConfig } from '../src/stock-analytics.config';

const USAGE = `Usage: npm run bench:restore -w @gmart/stock-analytics

Restoration at a clean restart of stock-analytics: RESTORE_TRADES (default 50000) trades through the
whole topology (under RESTORE_GUARANTEE: exactly_once_v2, the default, or at_least_once) against the embedded broker, a clean close, and a new instance on the same state
directory; prints the records restored per store and the time to RUNNING.

  -h, --help   show this help
`;

benchCommandLine('bench:restore @gmart/stock-analytics', USAGE);

const TRADES = Number(process.env.RESTORE_TRADES ?? 50_000);
const guarantee = process.env.RESTORE_GUARANTEE ?? 'exactly_once_v2';
if (guarantee !== 'exactly_once_v2' && guarantee !== 'at_least_once')
  throw new Error('RESTORE_GUARANTEE: exactly_once_v2 or at_least_once');
const GUARANTEE: 'exactly_once_v2' | 'at_least_once' = guarantee;
const PARTITIONS = 2;
const APP = 'bench-stock-restore';
const silent = { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };
const topics = stockAnalyticsConfig.load({ KAFKA_BROKERS: 'localhost:9092' }).topics;

function streamsOn(brokers: string[], stateDir: string, registry: Registry, listener?: object): KafkaStreams {
  return new KafkaStreams(buildStockAnalyticsTopology(topics), {
    applicationId: APP,
    bootstrapServers: brokers,
    stateDir,
    processingGuarantee: GUARANTEE,
    logger: silent,
    metricsRegistry: registry,
    ...(listener ? { stateRestoreListener: listener } : {}),
  });
}

async function running(streams: KafkaStreams): Promise<void> {
  const up = new Promise<void>((resolve) =>
    streams.setStateListener((s) => s === KafkaStreamsState.RUNNING && resolve()),
  );
  await streams.start();
  await up;
}

/** True once the group committed every record of `stock-transactions` and the repartition topics. */
async function drained(kafka: Kafka): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = (await admin.listTopics()).filter(
      (t) => t === topics.STOCK_TRANSACTIONS || (t.startsWith(`${APP}-`) && t.endsWith('-repartition')),
    );
    const committed = await admin.fetchOffsets({ groupId: APP, topics: names });
    for (const t of names) {
      for (const p of await admin.fetchTopicOffsets(t)) {
        const c = committed.find((x) => x.topic === t)?.partitions.find((x) => x.partition === p.partition);
        if (Number(p.high) > 0 && (c === undefined || Number(c.offset) < Number(p.high))) return false;
      }
    }
    return names.length > 0;
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const broker = await spawnBrokerProcess([
    '--port',
    '0',
    '--quiet',
    '--group-initial-rebalance-delay-ms',
    '0',
  ]);
  const brokers = broker.bootstrapServers.split(',');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stock-restore-'));
  const kafka = new Kafka({ brokers, logLevel: logLevel.ERROR, clientId: 'bench-stock-restore' });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.values(topics).map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
        replicationFactor: 1,
      })),
    });
    await admin.disconnect();
    const serde = GmartSerdes.StockTransaction().serializer();
    const generator = new StockGenerator({ seed: 1, startTime: Date.now() - TRADES * 10 });
    const producer = kafka.producer();
    await producer.connect();
    for (let sent = 0; sent < TRADES;) {
      const messages = [];
      for (; messages.length < 5000 && sent < TRADES; sent++) {
        const t = generator.nextTransaction();
        messages.push({ key: t.symbol, value: serde.serialize(topics.STOCK_TRANSACTIONS, t)! });
      }
      await producer.send({ topic: topics.STOCK_TRANSACTIONS, acks: -1, messages });
    }
    await producer.disconnect();

    const first = streamsOn(brokers, stateDir, new Registry());
    await running(first);
    while (!(await drained(kafka))) await new Promise((r) => setTimeout(r, 250));
    await first.close();

    const restored = new Map<string, number>();
    const second = streamsOn(brokers, stateDir, new Registry(), {
      onRestoreEnd: (_tp: unknown, store: string, n: number) =>
        restored.set(store, (restored.get(store) ?? 0) + n),
    });
    const start = performance.now();
    await running(second);
    const seconds = (performance.now() - start) / 1000;
    await second.close();
    const total = [...restored.values()].reduce((a, b) => a + b, 0);
    console.log(
      `${TRADES} trades, ${GUARANTEE}, clean restart: RUNNING after ${seconds.toFixed(2)} s, ${total} changelog records restored` +
        ([...restored].length ? ` (${[...restored].map(([s, n]) => `${s} ${n}`).join(', ')})` : ''),
    );
  } finally {
    await broker.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
