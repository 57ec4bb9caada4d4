import {
  Stores,
  InvalidStateStoreError,
  InvalidStoreConfigError,
  type KeyValueBytesStoreSupplier,
} from '../../src/state';
import type { CachedStateStore, KeyValueStore } from '../../src/state';
import { bufferSerde, drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

const kinds: Array<[string, (name: string) => KeyValueBytesStoreSupplier]> = [
  ['in-memory', (n) => Stores.inMemoryKeyValueStore(n)],
  ['persistent', (n) => Stores.persistentKeyValueStore(n)],
  ['lru-map', (n) => Stores.lruMap(n, 1000)],
];

describe.each(kinds)('%s key-value store', (_kind, supplierOf) => {
  let tmp: ReturnType<typeof tempDir>;
  let context: TestStateStoreContext;
  let store: KeyValueStore<string, string> & CachedStateStore<string, string>;

  beforeEach(async () => {
    tmp = tempDir();
    context = new TestStateStoreContext(tmp.dir);
    store = Stores.keyValueStoreBuilder(supplierOf('kv'), stringSerde, stringSerde)
      .withLoggingDisabled()
      .build();
    await store.init(context, store);
  });

  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('gets, puts, overwrites and deletes', () => {
    expect(store.get('a')).toBeUndefined();
    store.put('a', '1');
    store.put('b', '2');
    expect(store.get('a')).toBe('1');
    store.put('a', '3');
    expect(store.get('a')).toBe('3');
    expect(store.delete('a')).toBe('3');
    expect(store.get('a')).toBeUndefined();
    expect(store.delete('a')).toBeUndefined();
    store.put('b', null);
    expect(store.get('b')).toBeUndefined();
  });

  it('putIfAbsent puts only a missing key and returns the existing value', () => {
    expect(store.putIfAbsent('k', 'first')).toBeUndefined();
    expect(store.putIfAbsent('k', 'second')).toBe('first');
    expect(store.get('k')).toBe('first');
  });

  it('putAll applies entries in order, null deleting', () => {
    store.putAll([
      { key: 'x', value: '1' },
      { key: 'y', value: '2' },
      { key: 'x', value: null },
    ]);
    expect(store.get('x')).toBeUndefined();
    expect(store.get('y')).toBe('2');
    expect(store.approximateNumEntries()).toBe(1);
  });

  it('ranges are inclusive, ordered, reversible and empty when from > to', () => {
    for (const k of ['d', 'a', 'c', 'b', 'e']) store.put(k, k.toUpperCase());
    expect(drain(store.range('b', 'd'))).toEqual([
      ['b', 'B'],
      ['c', 'C'],
      ['d', 'D'],
    ]);
    expect(drain(store.reverseRange('b', 'd'))).toEqual([
      ['d', 'D'],
      ['c', 'C'],
      ['b', 'B'],
    ]);
    expect(drain(store.range(undefined, 'b')).map(([k]) => k)).toEqual(['a', 'b']);
    expect(drain(store.range('d', undefined)).map(([k]) => k)).toEqual(['d', 'e']);
    expect(drain(store.all()).map(([k]) => k)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(drain(store.reverseAll()).map(([k]) => k)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(drain(store.range('d', 'b'))).toEqual([]);
    expect(store.approximateNumEntries()).toBe(5);
  });

  it('prefixScan returns exactly the keys with the prefix', () => {
    for (const k of ['user:1', 'user:2', 'user;', 'usea', 'user', 'order:1']) store.put(k, k);
    expect(drain(store.prefixScan('user:', stringSerde.serializer())).map(([k]) => k)).toEqual([
      'user:1',
      'user:2',
    ]);
    expect(drain(store.prefixScan('user', stringSerde.serializer())).map(([k]) => k)).toEqual([
      'user',
      'user:1',
      'user:2',
      'user;',
    ]);
  });

  it('iterators are closed at the end, on break and on close(), and refuse use after close', async () => {
    for (const k of ['a', 'b', 'c']) store.put(k, k);
    const open = () => openIterators(context, 'kv');
    const it = store.all();
    expect(await open()).toBe(1);
    expect(it.hasNext()).toBe(true);
    expect(it.peekNextKey()).toBe('a');
    it.close();
    expect(await open()).toBe(0);
    expect(() => it.next()).toThrow(InvalidStateStoreError);
    for (const e of store.all()) {
      if (e.key === 'b') break;
    }
    expect(await open()).toBe(0);
    drain(store.range('a', 'c'));
    expect(await open()).toBe(0);
  });

  it('sees writes made during an iteration without breaking it', () => {
    for (const k of ['a', 'b', 'c']) store.put(k, k);
    const seen: string[] = [];
    for (const e of store.all()) {
      seen.push(e.key);
      store.put(`${e.key}2`, 'x');
      if (seen.length > 10) break;
    }
    expect(seen.slice(0, 3)).toEqual(expect.arrayContaining(['a']));
    expect(store.get('a2')).toBe('x');
  });

  it('rejects null keys with a clear error', () => {
    expect(() => store.put(null as unknown as string, 'v')).toThrow(/key must not be null/);
  });
});

describe('byte order', () => {
  it.each(kinds)('%s orders keys by unsigned bytes, shorter prefix first', async (_kind, supplierOf) => {
    const tmp = tempDir();
    const context = new TestStateStoreContext(tmp.dir);
    const store = Stores.keyValueStoreBuilder(supplierOf('bytes'), bufferSerde, bufferSerde)
      .withLoggingDisabled()
      .build();
    await store.init(context, store);
    try {
      const keys = [
        Buffer.from([0xff]),
        Buffer.from([0x80, 0x00]),
        Buffer.from([0x7f]),
        Buffer.from([0x80]),
        Buffer.from([0x00, 0x01]),
        Buffer.from([0x00]),
      ];
      for (const k of keys) store.put(k, k);
      expect(drain(store.all()).map(([k]) => k.toString('hex'))).toEqual([
        '00',
        '0001',
        '7f',
        '80',
        '8000',
        'ff',
      ]);
      expect(
        drain(store.prefixScan(Buffer.from([0x80]), bufferSerde.serializer())).map(([k]) =>
          k.toString('hex'),
        ),
      ).toEqual(['80', '8000']);
    } finally {
      await store.close();
      tmp.cleanup();
    }
  });
});

describe('persistent key-value store', () => {
  it('keeps its data on disk under <stateDir>/lmdb/<name> across close and reopen', async () => {
    const tmp = tempDir();
    try {
      const builder = Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore('disk'),
        stringSerde,
        stringSerde,
      ).withLoggingDisabled();
      const first = builder.build();
      await first.init(new TestStateStoreContext(tmp.dir), first);
      for (let i = 0; i < 25_000; i++) first.put(`k${i}`, `v${i}`);
      first.delete('k7');
      await first.flush();
      await first.close();
      expect(first.isOpen()).toBe(false);
      expect(() => first.get('k1')).toThrow(InvalidStateStoreError);

      const second = builder.build();
      await second.init(new TestStateStoreContext(tmp.dir), second);
      expect(second.persistent).toBe(true);
      expect(second.get('k1')).toBe('v1');
      expect(second.get('k24999')).toBe('v24999');
      expect(second.get('k7')).toBeUndefined();
      expect(second.approximateNumEntries()).toBe(24_999);
      await second.close();
    } finally {
      tmp.cleanup();
    }
  });
});

describe('lruMap', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const tmp = tempDir();
    const store = Stores.keyValueStoreBuilder(Stores.lruMap('lru', 3), stringSerde, stringSerde)
      .withLoggingDisabled()
      .build();
    await store.init(new TestStateStoreContext(tmp.dir), store);
    store.put('a', '1');
    store.put('b', '2');
    store.put('c', '3');
    store.get('a'); // a is now most recently used
    store.put('d', '4');
    expect(store.get('b')).toBeUndefined();
    expect(drain(store.all()).map(([k]) => k)).toEqual(['a', 'c', 'd']);
    await store.close();
    tmp.cleanup();
  });

  it('rejects a non-positive size', () => {
    expect(() => Stores.lruMap('lru', 0)).toThrow(InvalidStoreConfigError);
  });
});

describe('store names', () => {
  it('rejects names that cannot name a changelog topic', () => {
    expect(() => Stores.inMemoryKeyValueStore('bad name')).toThrow(/not legal/);
    expect(() => Stores.persistentKeyValueStore('')).toThrow(InvalidStoreConfigError);
  });
});

/** The store's open-iterator gauge as a scrape reads it. */
async function openIterators(context: TestStateStoreContext, storeName: string): Promise<number> {
  const metric = context.metricsRegistry.getSingleMetric('kafka_stream_state_num_open_iterators');
  const { values } = await metric!.get();
  return values.filter((v) => v.labels.store_name === storeName).reduce((sum, v) => sum + v.value, 0);
}

describe('closing a persistent store', () => {
  it('closes the iterators still open on it', async () => {
    const tmp = tempDir();
    const store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('p'), stringSerde, stringSerde)
      .withLoggingDisabled()
      .build();
    const context = new TestStateStoreContext(tmp.dir);
    try {
      await store.init(context, store);
      store.put('a', '1');
      store.put('b', '2');
      const it = store.all();
      expect(it.next().value).toEqual({ key: 'a', value: '1' });
      await store.close();
      expect(await openIterators(context, 'p')).toBe(0);
      expect(() => it.next()).toThrow(InvalidStateStoreError);
    } finally {
      await store.close();
      tmp.cleanup();
    }
  });
});
