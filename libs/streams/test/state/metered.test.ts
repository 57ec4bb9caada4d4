import { Registry } from 'prom-client';
import { Serdes } from '../../src/serialization';
import { Stores } from '../../src/state';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

describe('metered layer', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('records per-operation latency histograms labelled by store type and name only', async () => {
    const registry = new Registry();
    const context = new TestStateStoreContext(tmp.dir);
    const store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('cards'), stringSerde, stringSerde)
      .withMetricsRegistry(registry)
      .build();
    await store.init(context, store);
    const secretKey = '4111111111111111';
    store.put(secretKey, 'masked');
    store.get(secretKey);
    store.get('missing');
    store.delete(secretKey);
    drain(store.range('a', 'z'));
    await store.flush();

    const text = await registry.metrics();
    expect(text).toContain('kafka_stream_state_put_latency_seconds_count{store_type="lmdb",store_name="cards"} 1');
    expect(text).toContain('kafka_stream_state_get_latency_seconds_count{store_type="lmdb",store_name="cards"} 2');
    expect(text).toContain('kafka_stream_state_delete_latency_seconds_count{store_type="lmdb",store_name="cards"} 1');
    expect(text).toContain('kafka_stream_state_range_latency_seconds_count{store_type="lmdb",store_name="cards"} 1');
    expect(text).toContain('kafka_stream_state_flush_latency_seconds_count{store_type="lmdb",store_name="cards"} 1');
    expect(text).not.toContain(secretKey);
    // the builder's registry wins over the context's
    expect(await context.metricsRegistry.metrics()).not.toContain('store_name="cards"');
    await store.close();
  });

  it('uses the context registry when the builder has none, and serializes with the changelog topic', async () => {
    const topics: string[] = [];
    const recordingSerde = Serdes.serdeFrom<string>(
      { serialize: (t, v) => (topics.push(t), v === null ? null : Buffer.from(v)) },
      { deserialize: (t, b) => (topics.push(t), b === null ? null : b.toString()) },
    );
    const context = new TestStateStoreContext(tmp.dir, 0, 'app1');
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), recordingSerde, recordingSerde).build();
    await store.init(context, store);
    store.put('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(new Set(topics)).toEqual(new Set(['app1-s-changelog']));
    expect(await context.metricsRegistry.metrics()).toContain('kafka_stream_state_put_latency_seconds_count{store_type="in-memory",store_name="s"} 1');
    await store.close();
  });

  it('times restore batches', async () => {
    const context = new TestStateStoreContext(tmp.dir);
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('r'), stringSerde, stringSerde).build();
    await store.init(context, store);
    await context.registrations[0].restore([{ key: Buffer.from('a'), value: Buffer.from('1'), timestamp: 0, offset: 0 }]);
    expect(store.get('a')).toBe('1');
    expect(await context.metricsRegistry.metrics()).toContain('kafka_stream_state_restore_latency_seconds_count{store_type="in-memory",store_name="r"} 1');
    await store.close();
  });
});
