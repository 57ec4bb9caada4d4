import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  KafkaStreams,
  KeyValueStore,
  Processor,
  ProcessorContext,
  PunctuationType,
  Record,
  Serdes,
  Stores,
  Topology,
} from '../../src';
import { consume, createTopics, silentLogger, startBroker } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();

describe('punctuators in the runtime (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const dirs: string[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('fires stream-time punctuators from record timestamps and wall-clock ones from the thread timer', async () => {
    await createTopics(env.kafka, [{ topic: 'pu-in' }, { topic: 'pu-out' }]);
    class Tracker implements Processor<string, string, string, string> {
      private ctx!: ProcessorContext<string, string>;
      private store!: KeyValueStore<string, string>;
      init(ctx: ProcessorContext<string, string>) {
        this.ctx = ctx;
        this.store = ctx.getStateStore('seen');
        ctx.schedule(1000, PunctuationType.STREAM_TIME, (ts) =>
          this.ctx.forward(new Record('stream', String(ts), ts)),
        );
        ctx.schedule(200, PunctuationType.WALL_CLOCK_TIME, (ts) =>
          this.ctx.forward(new Record('wall', String(this.store.approximateNumEntries()), ts)),
        );
      }
      process(r: Record<string, string>) {
        this.store.put(r.key, r.value);
      }
    }
    const t = new Topology()
      .addSource({
        name: 'src',
        topics: ['pu-in'],
        keyDeserializer: S.deserializer(),
        valueDeserializer: S.deserializer(),
      })
      .addProcessor('tracker', () => new Tracker(), 'src')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), S, S), 'tracker')
      .addSink('sink', 'pu-out', S.serializer(), S.serializer(), undefined, 'tracker');
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pu-'));
    dirs.push(stateDir);
    const streams = new KafkaStreams(t, {
      applicationId: 'pu',
      bootstrapServers: env.brokers,
      commitIntervalMs: 200,
      stateDir,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await streams.start();
    const producer = env.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'pu-in',
      acks: -1,
      messages: [0, 500, 1500, 2600].map((ts, i) => ({ key: `k${i}`, value: 'v', timestamp: String(ts) })),
    });
    await producer.disconnect();
    try {
      const out = await consume(
        env.kafka,
        'pu-out',
        1,
        60000,
        (rs) =>
          rs.some((r) => r.key === 'wall' && r.value!.toString() === '4') &&
          rs.filter((r) => r.key === 'stream').length >= 3,
      );
      expect(out.filter((r) => r.key === 'stream').map((r) => r.value!.toString())).toEqual([
        '0',
        '1500',
        '2600',
      ]);
    } finally {
      await streams.close();
    }
  });
});
