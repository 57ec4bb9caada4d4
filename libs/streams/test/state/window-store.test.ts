import { Registry } from 'prom-client';
import {
  Stores,
  InvalidStoreConfigError,
  type WindowBytesStoreSupplier,
  type WindowStore,
} from '../../src/state';
import { SegmentedWindowBytesStore } from '../../src/state/internals/segmented-window-store';
import { WindowKeySchema } from '../../src/state/internals/window-key-schema';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

const MIN = 60_000;

const kinds: Array<[string, (retention: number, size: number, dups: boolean) => WindowBytesStoreSupplier]> = [
  ['in-memory', (r, s, d) => Stores.inMemoryWindowStore('win', r, s, d)],
  ['persistent', (r, s, d) => Stores.persistentWindowStore('win', r, s, d)],
];

function segmentsOf(store: WindowStore<string, string>): SegmentedWindowBytesStore {
  let inner: unknown = store;
  while (!(inner instanceof SegmentedWindowBytesStore)) inner = (inner as { inner: unknown }).inner;
  return inner;
}

describe.each(kinds)('%s window store', (_kind, supplierOf) => {
  let tmp: ReturnType<typeof tempDir>;
  let context: TestStateStoreContext;
  const open = async (retention: number, size: number, dups = false) => {
    const store = Stores.windowStoreBuilder(
      supplierOf(retention, size, dups),
      stringSerde,
      stringSerde,
    ).build();
    await store.init(context, store);
    return store;
  };
  beforeEach(() => {
    tmp = tempDir();
    context = new TestStateStoreContext(tmp.dir, 0, 'app');
  });
  afterEach(() => tmp.cleanup());

  it('tells apart record keys of the same length in lookups and writes one after the other', async () => {
    // the segmented store reuses the last record key's string when the bytes are the same
    const store = await open(10 * MIN, MIN);
    store.put('k0', 'z', 0);
    expect(store.fetch('k0', 0)).toBe('z'); // the first lookup builds the store's key index
    store.put('a1', 'late', 3 * MIN);
    store.put('b1', 'x', MIN);
    store.put('a2', 'y', MIN);
    expect(store.fetch('a1', 3 * MIN)).toBe('late');
    expect(store.fetch('a2', 3 * MIN)).toBeUndefined();
    store.put('k1', 'v1', MIN);
    expect(store.fetch('k2', MIN)).toBeUndefined();
    expect(store.fetch('k1', MIN)).toBe('v1');
    store.put('k2', 'v2', 2 * MIN);
    expect(store.fetch('k1', 2 * MIN)).toBeUndefined();
    expect(store.fetch('k2', 2 * MIN)).toBe('v2');
    expect(store.fetch('k2', MIN)).toBeUndefined();
    store.put('k1', 'v3', 3 * MIN);
    expect(store.fetch('k1', 3 * MIN)).toBe('v3');
    expect(store.fetch('k2', 3 * MIN)).toBeUndefined();
    await store.close();
  });

  it('fetches by key and time range, forwards and backwards, and across keys', async () => {
    const store = await open(10 * MIN, MIN);
    store.put('a', 'a0', 0);
    store.put('a', 'a1', MIN);
    store.put('a', 'a2', 2 * MIN);
    store.put('ab', 'ab1', MIN); // 'a' is a prefix of 'ab': must not leak into fetches of 'a'
    store.put('b', 'b1', MIN);
    expect(store.fetch('a', MIN)).toBe('a1');
    expect(store.fetch('a', 5)).toBeUndefined();
    expect(drain(store.fetchRange('a', 0, MIN))).toEqual([
      [0, 'a0'],
      [MIN, 'a1'],
    ]);
    expect(drain(store.backwardFetchRange('a', 0, 2 * MIN))).toEqual([
      [2 * MIN, 'a2'],
      [MIN, 'a1'],
      [0, 'a0'],
    ]);
    expect(
      drain(store.fetchAll(MIN, MIN)).map(([w, v]) => [w.key(), w.window().start(), w.window().end(), v]),
    ).toEqual([
      ['a', MIN, 2 * MIN, 'a1'],
      ['ab', MIN, 2 * MIN, 'ab1'],
      ['b', MIN, 2 * MIN, 'b1'],
    ]);
    expect(drain(store.fetchKeyRange('ab', 'b', 0, 10 * MIN)).map(([w]) => w.key())).toEqual(['ab', 'b']);
    expect(drain(store.all())).toHaveLength(5);
    store.put('a', null, MIN);
    expect(store.fetch('a', MIN)).toBeUndefined();
    await store.close();
  });

  it('logs changes under the window key layout [key][start: 8 bytes][seqnum: 4 bytes]', async () => {
    const store = await open(10 * MIN, MIN);
    expect(context.registrations[0].registration?.changelogTopic).toBe('app-win-changelog');
    context.timestamp = 42;
    store.put('k', 'v', 3 * MIN);
    const change = context.changes[0];
    expect(change.key.toString('hex')).toBe(
      Buffer.from('k').toString('hex') + (3 * MIN).toString(16).padStart(16, '0') + '00000000',
    );
    expect(change.value?.toString()).toBe('v');
    expect(change.timestamp).toBe(42);
    expect(WindowKeySchema.extractTimestamp(change.key)).toBe(3 * MIN);
    await store.close();
  });

  it('retains duplicates with increasing sequence numbers when asked', async () => {
    const store = await open(10 * MIN, MIN, true);
    store.put('k', 'v1', 0);
    store.put('k', 'v2', 0);
    store.put('k', null, 0); // ignored with duplicates
    expect(drain(store.fetchRange('k', 0, 0)).map(([, v]) => v)).toEqual(['v1', 'v2']);
    expect(context.changes.map((c) => WindowKeySchema.extractSeqnum(c.key))).toEqual([1, 2]);
    await store.close();
  });

  it('expires old segments as stream time advances and drops writes to expired windows', async () => {
    const registry = new Registry();
    const store = Stores.windowStoreBuilder(supplierOf(2 * MIN, MIN, false), stringSerde, stringSerde)
      .withMetricsRegistry(registry)
      .build();
    await store.init(context, store);
    const segmented = segmentsOf(store).segments;
    expect(segmented.segmentIntervalMs).toBe(MIN);
    store.put('k', 'old', 0);
    store.put('k', 'mid', MIN);
    expect(segmented.segmentIds()).toEqual([0, 1]);
    store.put('k', 'new', 4 * MIN); // stream time 4 min: retention 2 min keeps segments >= 2
    expect(segmented.segmentIds()).toEqual([4]);
    expect(drain(store.fetchRange('k', 0, 10 * MIN))).toEqual([[4 * MIN, 'new']]);
    expect(store.fetch('k', 0)).toBeUndefined();
    store.put('k', 'late', 0);
    expect(store.fetch('k', 0)).toBeUndefined();
    expect(await registry.metrics()).toContain(
      'kafka_stream_state_dropped_records_total{store_type="' +
        segmentsOf(store).storeType +
        '",store_name="win"} 1',
    );
    await store.close();
  });

  it('restores a changelog batch, skipping records of expired windows', async () => {
    const source = await open(2 * MIN, MIN);
    context.timestamp = 1;
    source.put('a', '1', 0);
    source.put('b', '2', 5 * MIN);
    source.put('a', '3', 6 * MIN);
    const batch = context.changes.map((c, i) => ({
      key: c.key,
      value: c.value,
      timestamp: c.timestamp,
      offset: i,
    }));
    await source.close();

    const other = tempDir();
    const restoreContext = new TestStateStoreContext(other.dir, 0, 'app');
    const target = Stores.windowStoreBuilder(
      supplierOf(2 * MIN, MIN, false),
      stringSerde,
      stringSerde,
    ).build();
    await target.init(restoreContext, target);
    await restoreContext.registrations[0].restore(batch);
    expect(drain(target.all()).map(([w, v]) => [w.key(), w.window().start(), v])).toEqual([
      ['b', 5 * MIN, '2'],
      ['a', 6 * MIN, '3'],
    ]);
    expect(restoreContext.changes).toEqual([]);
    await target.close();
    other.cleanup();
  });

  it('rejects a retention smaller than the window size and negative timestamps', async () => {
    expect(() => supplierOf(MIN, 2 * MIN, false)).toThrow(InvalidStoreConfigError);
    const store = await open(MIN, MIN);
    expect(() => store.put('k', 'v', -1)).toThrow(/non-negative integer timestamp/);
    await store.close();
  });

  it('refuses caching on a store that retains duplicates', () => {
    expect(() =>
      Stores.windowStoreBuilder(supplierOf(MIN, MIN, true), stringSerde, stringSerde)
        .withCachingEnabled()
        .build(),
    ).toThrow(/caching cannot be enabled on a store that retains duplicates/);
  });

  it('with caching, de-duplicates per key and window until flush and merges cache and store on fetch', async () => {
    context = new TestStateStoreContext(tmp.dir, 1024 * 1024, 'app');
    const store = Stores.windowStoreBuilder(supplierOf(60 * MIN, MIN, false), stringSerde, stringSerde)
      .withCachingEnabled()
      .build();
    await store.init(context, store);
    const flushed: Array<[string, number, string | null, string | null | undefined, number]> = [];
    expect(
      store.setFlushListener((k, n, o, ts) => flushed.push([k.key(), k.window().start(), n, o, ts]), true),
    ).toBe(true);
    context.timestamp = 5;
    store.put('a', '1', 0);
    store.put('a', '2', 0);
    store.put('b', '1', MIN);
    expect(context.changes).toEqual([]);
    expect(store.fetch('a', 0)).toBe('2');
    await store.flush();
    expect(
      context.changes.map((c) => [
        WindowKeySchema.extractKey(c.key).toString(),
        c.value?.toString(),
        c.timestamp,
      ]),
    ).toEqual([
      ['a', '2', 5],
      ['b', '1', 5],
    ]);
    expect(flushed).toEqual([
      ['a', 0, '2', null, 5],
      ['b', MIN, '1', null, 5],
    ]);
    context.timestamp = 6;
    store.put('a', '3', 0); // cached over a stored value
    store.put('a', 'x', 2 * MIN); // only cached
    store.put('b', null, MIN); // cached tombstone hides the stored value
    expect(drain(store.fetchRange('a', 0, 10 * MIN))).toEqual([
      [0, '3'],
      [2 * MIN, 'x'],
    ]);
    expect(drain(store.backwardFetchRange('a', 0, 10 * MIN))).toEqual([
      [2 * MIN, 'x'],
      [0, '3'],
    ]);
    expect(drain(store.fetchAll(0, 10 * MIN)).map(([w, v]) => [w.key(), w.window().start(), v])).toEqual([
      ['a', 0, '3'],
      ['a', 2 * MIN, 'x'],
    ]);
    await store.close();
    expect(flushed.slice(2)).toEqual([
      ['a', 0, '3', '2', 6],
      ['a', 2 * MIN, 'x', null, 6],
      ['b', MIN, null, '1', 6],
    ]);
  });

  it("with caching and no flush listener, writes a window's tombstone down and logs it even if the window was never stored (Kafka Streams' CachingWindowStore)", async () => {
    context = new TestStateStoreContext(tmp.dir, 1024 * 1024, 'app');
    const store = Stores.windowStoreBuilder(supplierOf(60 * MIN, MIN, false), stringSerde, stringSerde)
      .withCachingEnabled()
      .build();
    await store.init(context, store);
    context.timestamp = 5;
    store.put('a', '1', 0);
    store.put('a', null, 0); // written and deleted between two commits
    store.put('b', null, MIN); // never written
    await store.flush();
    expect(
      context.changes.map((c) => [
        WindowKeySchema.extractKey(c.key).toString(),
        WindowKeySchema.extractTimestamp(c.key),
        c.value,
        c.timestamp,
      ]),
    ).toEqual([
      ['a', 0, null, 5],
      ['b', MIN, null, 5],
    ]);
    expect(drain(store.fetchAll(0, 10 * MIN))).toEqual([]);
    await store.close();
  });

  it('sets windowed changelog topic config', () => {
    const builder = Stores.windowStoreBuilder(supplierOf(MIN, MIN, false), stringSerde, stringSerde);
    expect(builder.logConfig).toEqual({
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(MIN + 86_400_000),
    });
  });
});

describe('persistent window store on disk', () => {
  it('reopens its live segments after a restart', async () => {
    const tmp = tempDir();
    try {
      const builder = Stores.windowStoreBuilder(
        Stores.persistentWindowStore('w', 10 * MIN, MIN, false),
        stringSerde,
        stringSerde,
      ).withLoggingDisabled();
      const first = builder.build();
      await first.init(new TestStateStoreContext(tmp.dir), first);
      first.put('k', 'v0', 0);
      first.put('k', 'v7', 7 * MIN);
      await first.flush();
      await first.close();
      const second = builder.build();
      await second.init(new TestStateStoreContext(tmp.dir), second);
      expect(drain(second.fetchRange('k', 0, 10 * MIN))).toEqual([
        [0, 'v0'],
        [7 * MIN, 'v7'],
      ]);
      await second.close();
    } finally {
      tmp.cleanup();
    }
  });
});
