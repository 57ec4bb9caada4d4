import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Produced,
  Serdes,
  Stores,
  StreamsBuilder,
} from '../../src';
import { startChildBroker } from './broker';
import { benchDir, type StateBenchResult } from './bench-util';
import { CountingProcessor } from '../../test/helpers/counting-processor';

const silent = { debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };
const S = Serdes.String();

/**
 * A stateful count-per-key topology end to end through the embedded broker (own process):
 * `total` records over 10,000 keys on 4 partitions, a processor counting per key in a persistent,
 * logged, cached store and writing `key -> count`. Timed from RUNNING to the last output record
 * acknowledged (sum of the output end offsets). Reference: the same pipeline without a store
 * (`mapValues`) in the same run.
 */
export async function benchStatefulTopology(
  total = Number(process.env.BENCH_STATEFUL_RECORDS ?? 200_000),
): Promise<StateBenchResult[]> {
  const broker = await startChildBroker();
  const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.ERROR, clientId: 'bench-stateful' });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: ['in', 'out-stateful', 'out-stateless'].map((t) => ({
        topic: `bench-count-${t}`,
        numPartitions: 4,
        replicationFactor: 1,
      })),
    });
    const producer = kafka.producer();
    await producer.connect();
    const inflight: Promise<unknown>[] = [];
    for (let first = 0; first < total; first += 5000) {
      const messages = [];
      for (let i = first; i < Math.min(total, first + 5000); i++)
        messages.push({ key: `customer-${i % 10_000}`, value: `{"seq":${i},"amount":${i % 97}}` });
      inflight.push(producer.send({ topic: 'bench-count-in', acks: -1, messages }));
      if (inflight.length >= 8) await inflight.shift();
    }
    await Promise.all(inflight);
    await producer.disconnect();

    const run = async (stateful: boolean): Promise<number> => {
      const tmp = benchDir('bench-count-');
      const b = new StreamsBuilder();
      const out = `bench-count-out-${stateful ? 'stateful' : 'stateless'}`;
      const input = b.stream('bench-count-in', Consumed.with(S, S));
      if (stateful) {
        b.addStateStore(
          Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore('counts'),
            S,
            Serdes.Integer(),
          ).withCachingEnabled(),
        );
        input.process(() => new CountingProcessor('counts'), 'counts').to(out, Produced.with(S, S));
      } else {
        input.mapValues((v) => String(v.length)).to(out, Produced.with(S, S));
      }
      const streams = new KafkaStreams(b.build(), {
        applicationId: `bench-count-${stateful ? 'stateful' : 'stateless'}`,
        bootstrapServers: broker.brokers,
        stateDir: tmp.dir,
        commitIntervalMs: 1000,
        logger: silent,
        metricsRegistry: new Registry(),
      });
      let runningAt = 0;
      streams.setStateListener((s) => {
        if (s === KafkaStreamsState.RUNNING && !runningAt) runningAt = performance.now();
      });
      await streams.start();
      let done = 0;
      for (;;) {
        const offsets = await admin.fetchTopicOffsets(out);
        if (offsets.reduce((s, o) => s + Number(o.high), 0) >= total) {
          done = performance.now();
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await streams.close();
      tmp.cleanup();
      return total / ((done - runningAt) / 1000);
    };
    const stateless = await run(false);
    const stateful = await run(true);
    await admin.disconnect();
    return [
      {
        name: `count per key end to end (${total.toLocaleString('en-US')} records, 10,000 keys, 4 partitions, persistent logged cached store)`,
        value: stateful,
        unit: 'records/s',
        reference: { name: 'same pipeline without a store', value: stateless, unit: 'records/s' },
        notes: 'target >= 25,000 records/s',
      },
    ];
  } finally {
    await broker.stop();
  }
}
