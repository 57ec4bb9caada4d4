import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { KafkajsClientFactory } from '../../src/client/kafkajs/kafkajs-client-factory';
import { Consumed, KafkaStreams, KafkaStreamsState, Serdes, Stores, StreamsBuilder } from '../../src';
import { startChildBroker } from './broker';
import { benchDir, benchKey, benchValue, gc, mib, type StateBenchResult } from './bench-util';

const silent = { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };

/**
 * Restoration through the embedded broker (in its own process): the changelog
 * `<app>-store-changelog` is filled with `total` records (20-byte key, 100-byte value, ~120 MB for
 * 1,000,000), then a `KafkaStreams` instance with an empty state directory restores it into a
 * persistent store before RUNNING. Timed from `onRestoreStart` to `onRestoreEnd`; heap sampled
 * every 20 ms over a baseline taken after a GC. Reference: reading the same changelog with the
 * client's `readPartition` (no store) in the same run.
 */
export async function benchBrokerRestore(
  total = Number(process.env.BENCH_RESTORE_RECORDS ?? 1_000_000),
): Promise<StateBenchResult[]> {
  const broker = await startChildBroker();
  const tmp = benchDir('bench-broker-restore-');
  const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.ERROR, clientId: 'bench-restore' });
  const app = 'bench-restore';
  const changelog = `${app}-store-changelog`;
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'bench-restore-in', numPartitions: 1, replicationFactor: 1 },
        {
          topic: changelog,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const BATCH = 5000;
    const inflight: Promise<unknown>[] = [];
    for (let first = 0; first < total; first += BATCH) {
      const messages = [];
      for (let i = first; i < Math.min(total, first + BATCH); i++)
        messages.push({ key: benchKey(i), value: benchValue(i) });
      inflight.push(producer.send({ topic: changelog, acks: -1, messages }));
      if (inflight.length >= 8) await inflight.shift();
    }
    await Promise.all(inflight);
    await producer.disconnect();

    // Reference: the bare read of the changelog through the same client seam.
    const clients = new KafkajsClientFactory({
      bootstrapServers: broker.brokers,
      clientId: 'bench-read',
      logger: silent,
    });
    let read = 0;
    const readStart = performance.now();
    await clients.readPartition(changelog, 0, 0, (records) => {
      read += records.length;
    });
    const readSeconds = (performance.now() - readStart) / 1000;
    if (read !== total) throw new Error(`restore bench: read ${read} of ${total} changelog records`);

    const b = new StreamsBuilder();
    b.addStateStore(
      Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('store'), Serdes.Buffer(), Serdes.Buffer()),
    );
    b.stream('bench-restore-in', Consumed.with(Serdes.Buffer(), Serdes.Buffer())).process(
      () => ({ process() {} }),
      'store',
    );
    let started = 0;
    let ended = 0;
    let restored = 0;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    const streams = new KafkaStreams(b.build(), {
      applicationId: app,
      bootstrapServers: broker.brokers,
      stateDir: tmp.dir,
      logger: silent,
      metricsRegistry: new Registry(),
      stateRestoreListener: {
        onRestoreStart: () => (started = performance.now()),
        onRestoreEnd: (_tp, _s, n) => {
          ended = performance.now();
          restored = n;
        },
      },
    });
    const running = new Promise<void>((resolve) =>
      streams.setStateListener((s) => s === KafkaStreamsState.RUNNING && resolve()),
    );
    await streams.start();
    await running;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    await streams.close();
    if (restored !== total) throw new Error(`restore bench: restored ${restored} of ${total}`);
    const seconds = (ended - started) / 1000;
    return [
      {
        name: `restore ${total.toLocaleString('en-US')} keys (~${Math.round((total * 120) / 1e6)} MB changelog) through the embedded broker into a persistent store`,
        value: seconds,
        unit: 's',
        reference: { name: 'bare readPartition of the changelog', value: readSeconds, unit: 's' },
        notes: `${Math.round(total / seconds).toLocaleString('en-US')} records/s, heap +${mib(peak - baseline).toFixed(0)} MiB peak over baseline (${mib(peak).toFixed(0)} MiB total); targets <= 5 s, <= 300 MB`,
      },
    ];
  } finally {
    await broker.stop();
    tmp.cleanup();
  }
}
