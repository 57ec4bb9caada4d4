import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  Consumed,
  InvalidStateStoreError,
  KafkaStreams,
  KafkaStreamsState,
  KeyValueStore,
  Processor,
  ProcessorContext,
  QueryableStoreTypes,
  ReadOnlyKeyValueStore,
  Record,
  Serdes,
  Stores,
  StreamsBuilder,
} from '../../src';
import { createTopics, produce, silentLogger, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();

describe('queries of local state across two instances (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const dirs: string[] = [];
  const apps: KafkaStreams[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close({ timeoutMs: 10000 })));
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function app(server: string): KafkaStreams {
    const b = new StreamsBuilder();
    b.addStateStore(
      Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), S, Serdes.Integer()),
    );
    class Counter implements Processor<string, string, string, string> {
      private store!: KeyValueStore<string, number>;
      init(ctx: ProcessorContext<string, string>) {
        this.store = ctx.getStateStore('counts');
      }
      process(r: Record<string, string>) {
        this.store.put(r.key, (this.store.get(r.key) ?? 0) + 1);
      }
    }
    b.stream('iq-in', Consumed.with(S, S)).process(() => new Counter(), 'counts');
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iq-'));
    dirs.push(stateDir);
    const s = new KafkaStreams(b.build(), {
      applicationId: 'iq',
      bootstrapServers: env.brokers,
      commitIntervalMs: 200,
      stateDir,
      applicationServer: server,
      logger: silentLogger,
      metricsRegistry: new Registry(),
      consumer: { sessionTimeout: 10000, heartbeatInterval: 500 },
    });
    apps.push(s);
    return s;
  }

  it('store() reads local tasks; queryMetadataForKey names the owner; every key is answered by exactly its host', async () => {
    await createTopics(env.kafka, [{ topic: 'iq-in', numPartitions: 4 }]);
    const keys = Array.from({ length: 200 }, (_, i) => `key-${i}`);
    await produce(
      env.kafka,
      'iq-in',
      [...keys, ...keys.slice(0, 50)].map((key) => ({ key, value: 'x' })),
    );
    const a = app('host-a:7001');
    expect(() => a.store({ storeName: 'counts', type: QueryableStoreTypes.keyValueStore() })).toThrow(
      InvalidStateStoreError,
    );
    await a.start();
    const b = app('host-b:7002');
    await b.start();
    const byPort = new Map([
      [7001, a],
      [7002, b],
    ]);
    const answered = () => {
      try {
        let total = 0;
        for (const s of [a, b]) {
          const st = s.store<ReadOnlyKeyValueStore<string, number>>({
            storeName: 'counts',
            type: QueryableStoreTypes.keyValueStore(),
          });
          total += st.approximateNumEntries();
        }
        return (
          total === 200 &&
          a.allMetadataForStore('counts').length === 2 &&
          b.allMetadataForStore('counts').length === 2
        );
      } catch (e) {
        if (e instanceof InvalidStateStoreError && e.retriable) return false;
        throw e;
      }
    };
    await waitFor(
      () => a.state() === KafkaStreamsState.RUNNING && b.state() === KafkaStreamsState.RUNNING && answered(),
      90000,
      'both instances RUNNING with all keys',
    );

    const hosts = a.allMetadataForStore('counts');
    expect(hosts.map((h) => `${h.hostInfo.host}:${h.hostInfo.port}`).sort()).toEqual([
      'host-a:7001',
      'host-b:7002',
    ]);
    expect(hosts.flatMap((h) => h.topicPartitions.map((tp) => tp.partition)).sort()).toEqual([0, 1, 2, 3]);
    for (const key of keys) {
      const ma = a.queryMetadataForKey('counts', key, S.serializer())!;
      const mb = b.queryMetadataForKey('counts', key, S.serializer())!;
      expect(mb).toEqual(ma);
      const owner = byPort.get(ma.activeHost.port)!;
      const other = owner === a ? b : a;
      const kv = (s: KafkaStreams) =>
        s.store<ReadOnlyKeyValueStore<string, number>>({
          storeName: 'counts',
          type: QueryableStoreTypes.keyValueStore(),
        });
      expect(kv(owner).get(key)).toBe(Number(key.slice(4)) < 50 ? 2 : 1);
      expect(kv(other).get(key)).toBeUndefined();
    }
    expect(() => a.store({ storeName: 'nope', type: QueryableStoreTypes.keyValueStore() })).toThrow(
      /not a store of this topology/,
    );
    expect(() => a.store({ storeName: 'counts', type: QueryableStoreTypes.windowStore() })).toThrow(
      /not a window store/,
    );
  });
});
