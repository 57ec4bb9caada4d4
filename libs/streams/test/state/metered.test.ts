import { Registry } from 'prom-client';
import { type MetricsRecordingLevel, type ProcessorContext, type Record, Topology } from '../../src';
import { Serdes } from '../../src/serialization';
import { type KeyValueStore, Stores } from '../../src/state';
import { TopologyTestDriver } from '../../src/testing';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

describe('metered layer', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('records per-operation latency histograms labelled by store type and name only', async () => {
    const registry = new Registry();
    const context = new TestStateStoreContext(tmp.dir);
    const store = Stores.keyValueStoreBuilder(
      Stores.persistentKeyValueStore('cards'),
      stringSerde,
      stringSerde,
    )
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
    expect(text).toContain(
      'kafka_stream_state_put_latency_seconds_count{store_type="lmdb",store_name="cards"} 1',
    );
    expect(text).toContain(
      'kafka_stream_state_get_latency_seconds_count{store_type="lmdb",store_name="cards"} 2',
    );
    expect(text).toContain(
      'kafka_stream_state_delete_latency_seconds_count{store_type="lmdb",store_name="cards"} 1',
    );
    expect(text).toContain(
      'kafka_stream_state_range_latency_seconds_count{store_type="lmdb",store_name="cards"} 1',
    );
    expect(text).toContain(
      'kafka_stream_state_flush_latency_seconds_count{store_type="lmdb",store_name="cards"} 1',
    );
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
    const store = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('s'),
      recordingSerde,
      recordingSerde,
    ).build();
    await store.init(context, store);
    store.put('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(new Set(topics)).toEqual(new Set(['app1-s-changelog']));
    expect(await context.metricsRegistry.metrics()).toContain(
      'kafka_stream_state_put_latency_seconds_count{store_type="in-memory",store_name="s"} 1',
    );
    await store.close();
  });

  it('times restore batches', async () => {
    const context = new TestStateStoreContext(tmp.dir);
    const store = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('r'),
      stringSerde,
      stringSerde,
    ).build();
    await store.init(context, store);
    await context.registrations[0].restore([
      { key: Buffer.from('a'), value: Buffer.from('1'), timestamp: 0, offset: 0 },
    ]);
    expect(store.get('a')).toBe('1');
    expect(await context.metricsRegistry.metrics()).toContain(
      'kafka_stream_state_restore_latency_seconds_count{store_type="in-memory",store_name="r"} 1',
    );
    await store.close();
  });
});

describe('metricsRecordingLevel in a topology', () => {
  const countingTopology = (): Topology =>
    new Topology()
      .addSource({
        name: 'in',
        topics: ['in'],
        keyDeserializer: Serdes.String().deserializer(),
        valueDeserializer: Serdes.String().deserializer(),
      })
      .addProcessor(
        'count',
        () => {
          let store: KeyValueStore<string, number>;
          return {
            init: (context: ProcessorContext<string, number>) => {
              store = context.getStateStore<KeyValueStore<string, number>>('counts');
            },
            process: (record: Record<string, string>) => {
              store.put(record.key, (store.get(record.key) ?? 0) + 1);
            },
          };
        },
        'in',
      )
      .addStateStore(
        Stores.keyValueStoreBuilder(
          Stores.inMemoryKeyValueStore('counts'),
          Serdes.String(),
          Serdes.Integer(),
        ),
        'count',
      );

  async function metricsAfterThreeRecords(level?: MetricsRecordingLevel): Promise<string> {
    const registry = new Registry();
    const driver = await TopologyTestDriver.create(countingTopology(), {
      applicationId: 'levels',
      metricsRegistry: registry,
      ...(level ? { metricsRecordingLevel: level } : {}),
    });
    try {
      const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
      for (const k of ['a', 'b', 'a']) input.pipeInput(k, 'x');
      expect(driver.getKeyValueStore<string, number>('counts')?.get('a')).toBe(2);
    } finally {
      await driver.close();
    }
    return registry.metrics();
  }

  it('records no store latencies at INFO, the default (as Kafka Streams)', async () => {
    const text = await metricsAfterThreeRecords();
    expect(text).not.toMatch(/kafka_stream_state_(put|get)_latency_seconds_count\{/);
  });

  it('records them at DEBUG, in the application registry', async () => {
    const text = await metricsAfterThreeRecords('DEBUG');
    expect(text).toContain(
      'kafka_stream_state_put_latency_seconds_count{store_type="in-memory",store_name="counts"} 3',
    );
    // three by the processor, one by the test's own query
    expect(text).toContain(
      'kafka_stream_state_get_latency_seconds_count{store_type="in-memory",store_name="counts"} 4',
    );
  });

  it('rejects an unknown level, naming the field', async () => {
    await expect(
      TopologyTestDriver.create(countingTopology(), {
        applicationId: 'levels',
        metricsRecordingLevel: 'VERBOSE' as never,
      }),
    ).rejects.toThrow(/metricsRecordingLevel.*INFO, DEBUG, TRACE/);
  });
});
