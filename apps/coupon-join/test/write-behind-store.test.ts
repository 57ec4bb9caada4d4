/**
 * The write-behind layer above the coupons store's cache: against the same cached store without it,
 * driven by one seeded sequence of writes, reads and commits, every read answers the same and every
 * commit sends the same changelog records (keys, values, timestamps, order); a key written many
 * times between two commits is serialized once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, register as defaultRegistry } from 'prom-client';
import {
  type KeyValueStore,
  type MetricsRecordingLevel,
  type Serde,
  Serdes,
  type StateRestoreCallback,
  type StateStore,
  type StateStoreContext,
  Stores,
  type TaskId,
} from '@gmart/streams';
import { WriteBehindKeyValueStore, writeBehindStoreBuilder } from '../src/write-behind-store';

interface Logged {
  key: string;
  value: string | null;
  timestamp: number;
}

/** A task's context as the runtime gives it: changelog writes collected, restore callbacks kept. */
class Context implements StateStoreContext {
  readonly applicationId = 'app';
  readonly taskId: TaskId = { subtopology: 0, partition: 0, toString: () => '0_0' };
  readonly cacheMaxBytes = 1024 * 1024;
  readonly recordCacheOwner = {};
  readonly logged: Logged[] = [];
  readonly restores: StateRestoreCallback[] = [];
  timestamp = 0;

  constructor(readonly stateDir: string) {}

  register(_store: StateStore, restore: StateRestoreCallback): void {
    this.restores.push(restore);
  }
  logChange(_storeName: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.logged.push({ key: key.toString(), value: value === null ? null : value.toString(), timestamp });
  }
  currentTimestamp(): number {
    return this.timestamp;
  }
}

/** A string serde counting what it serializes. */
function countingSerde(): Serde<string> & { serialized: string[] } {
  const plain = Serdes.String();
  const serialized: string[] = [];
  return {
    serialized,
    serializer: () => ({
      serialize: (topic, data) => {
        if (data != null) serialized.push(data);
        return plain.serializer().serialize(topic, data);
      },
    }),
    deserializer: () => plain.deserializer(),
  };
}

function cachedBuilder(name: string, valueSerde: Serde<string>) {
  return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), valueSerde)
    .withCachingEnabled()
    .withLoggingEnabled();
}

async function open<S extends KeyValueStore<string, string>>(store: S, context: Context): Promise<S> {
  await store.init(context, store);
  return store;
}

/** A context carrying the application's metrics registry and recording level, as the runtime's does. */
class MetricsContext extends Context {
  constructor(
    stateDir: string,
    readonly metricsRegistry: Registry,
    readonly metricsRecordingLevel: MetricsRecordingLevel,
  ) {
    super(stateDir);
  }
}

/** The series of `metric` in `registry` for the store named `store`. */
async function seriesOf(registry: Registry, metric: string, store: string) {
  const m = registry.getSingleMetric(metric);
  if (!m) return [];
  return (await m.get()).values.filter((v) => v.labels.store_name === store);
}

const entries = (store: KeyValueStore<string, string>) => [...store.all()].map((e) => [e.key, e.value]);

describe('WriteBehindKeyValueStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'write-behind-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and sends to the changelog exactly what the cached store alone does', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      // mulberry32
      let state = seed;
      const rnd = (n: number) => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) % n;
      };
      const plainContext = new Context(dir);
      const behindContext = new Context(dir);
      const plain = await open(cachedBuilder('s', Serdes.String()).build(), plainContext);
      const behind = await open(
        writeBehindStoreBuilder(cachedBuilder('s', Serdes.String())).build(),
        behindContext,
      );
      for (let step = 0; step < 2_000; step++) {
        const ts = 1_000 + step * 7;
        plainContext.timestamp = ts;
        behindContext.timestamp = ts;
        const key = `k${rnd(12)}`;
        const op = rnd(20);
        if (op < 10) {
          plain.put(key, `v${step}`);
          behind.put(key, `v${step}`);
        } else if (op < 12) {
          expect(behind.delete(key)).toEqual(plain.delete(key));
        } else if (op < 13) {
          expect(behind.putIfAbsent(key, `w${step}`)).toEqual(plain.putIfAbsent(key, `w${step}`));
        } else if (op < 14) {
          expect(entries(behind)).toEqual(entries(plain));
        } else if (op < 16) {
          await plain.flushCache!();
          await behind.flushCache();
          expect(behindContext.logged).toEqual(plainContext.logged);
        } else expect(behind.get(key)).toEqual(plain.get(key));
      }
      await plain.flush();
      await behind.flush();
      expect(behindContext.logged).toEqual(plainContext.logged);
      expect(behindContext.logged.length).toBeGreaterThan(100);
      expect(entries(behind)).toEqual(entries(plain));
      await plain.close();
      await behind.close();
    }
  });

  it('serializes a key written many times between two commits once, with the last write', async () => {
    const serde = countingSerde();
    const context = new Context(dir);
    const store = await open(writeBehindStoreBuilder(cachedBuilder('s', serde)).build(), context);
    expect(store).toBeInstanceOf(WriteBehindKeyValueStore);
    for (let i = 0; i < 100; i++) {
      context.timestamp = i;
      store.put('a', `a${i}`);
      store.put('b', `b${i}`);
    }
    store.put('a', 'last');
    expect(store.get('a')).toBe('last');
    expect(serde.serialized).toEqual([]);
    expect(context.logged).toEqual([]);
    await store.flushCache();
    expect(serde.serialized).toEqual(['b99', 'last']);
    // Written in the order of the last writes, each with the timestamp of its last write.
    expect(context.logged).toEqual([
      { key: 'b', value: 'b99', timestamp: 99 },
      { key: 'a', value: 'last', timestamp: 99 },
    ]);
    await store.close();
  });

  it('writes pending values down before a range read and on close', async () => {
    const context = new Context(dir);
    const store = await open(writeBehindStoreBuilder(cachedBuilder('s', Serdes.String())).build(), context);
    store.put('b', '2');
    store.put('a', '1');
    expect([...store.range('a', 'z')].map((e) => e.key)).toEqual(['a', 'b']);
    store.put('c', '3');
    await store.close();
    expect(context.logged.map((l) => l.key)).toEqual(['b', 'a', 'c']);
  });

  it("reports the store's metrics to the task's registry, timing calls only at DEBUG", async () => {
    for (const level of ['INFO', 'DEBUG'] as const) {
      const name = `metered-${level}`;
      const registry = new Registry();
      const context = new MetricsContext(dir, registry, level);
      const store = await open(
        writeBehindStoreBuilder(cachedBuilder(name, Serdes.String())).build(),
        context,
      );
      store.put('a', '1');
      await store.flushCache();
      expect(store.get('a')).toBe('1');
      expect(store.get('b')).toBeUndefined();
      store.all().close();
      // The store's series are in the task's registry, none in prom-client's default one.
      expect(await seriesOf(registry, 'kafka_stream_state_num_open_iterators', name)).toHaveLength(1);
      expect(await seriesOf(defaultRegistry, 'kafka_stream_state_num_open_iterators', name)).toEqual([]);
      const gets = (await seriesOf(registry, 'kafka_stream_state_get_latency_seconds', name)).filter(
        (v) => (v as { metricName?: string }).metricName === 'kafka_stream_state_get_latency_seconds_count',
      );
      if (level === 'INFO') expect(gets).toEqual([]);
      else expect(gets.map((v) => v.value)).toEqual([2]);
      await store.close();
    }
  });
});
