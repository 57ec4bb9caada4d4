import { Stores, type KeyValueStore, type CachedStateStore } from '../../src/state';
import { RecordCache, CACHE_ENTRY_OVERHEAD_BYTES } from '../../src/state/internals/record-cache';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';
import { taskId as taskIdOf } from '../../src/processor/task-id';

const s = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

type Flushed = [string, string | null, string | null | undefined, number];

async function cachedStore(context: TestStateStoreContext, name = 'cached', persistent = false) {
  const supplier = persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
  const store = Stores.keyValueStoreBuilder(supplier, stringSerde, stringSerde).withCachingEnabled().build();
  await store.init(context, store);
  const flushed: Flushed[] = [];
  expect(store.setFlushListener((k, n, o, ts) => flushed.push([k, n, o, ts]), true)).toBe(true);
  return { store, flushed };
}

describe('caching layer', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it.each([false, true])('de-duplicates writes per key until flush (persistent=%s)', async (persistent) => {
    const context = new TestStateStoreContext(tmp.dir);
    const { store, flushed } = await cachedStore(context, 'cached', persistent);
    context.timestamp = 1;
    store.put('a', '1');
    context.timestamp = 2;
    store.put('a', '2');
    store.put('b', 'x');
    context.timestamp = 3;
    store.put('a', '3');
    expect(store.get('a')).toBe('3');
    expect(drain(store.all())).toEqual([
      ['a', '3'],
      ['b', 'x'],
    ]);
    expect(context.changes).toEqual([]);
    expect(flushed).toEqual([]);

    await store.flush();
    // dirty order is the order of the last write: b (ts 2) then a (ts 3); each with its own record timestamp
    expect(context.changes.map((c) => [s(c.key), s(c.value), c.timestamp])).toEqual([
      ['b', 'x', 2],
      ['a', '3', 3],
    ]);
    expect(flushed).toEqual([
      ['b', 'x', null, 2],
      ['a', '3', null, 3],
    ]);

    context.timestamp = 4;
    store.put('a', '4');
    store.delete('b');
    store.delete('never-existed');
    await store.flush();
    expect(flushed.slice(2)).toEqual([
      ['a', '4', '3', 4],
      ['b', null, 'x', 4],
    ]);
    // deleting a key the store never had is neither logged nor forwarded
    expect(context.changes.map((c) => s(c.key))).toEqual(['b', 'a', 'a', 'b']);
    await store.close();
  });

  it.each([false, true])(
    "without a flush listener writes every tombstone down, logged, as Kafka Streams' CachingKeyValueStore (persistent=%s)",
    async (persistent) => {
      // Kafka Streams skips a tombstone of a key absent below only when it has a flush listener to
      // spare a forward; without one (a Processor API store) it puts it into the store below, which logs it.
      const context = new TestStateStoreContext(tmp.dir);
      const supplier = persistent
        ? Stores.persistentKeyValueStore('plain')
        : Stores.inMemoryKeyValueStore('plain');
      const store = Stores.keyValueStoreBuilder(supplier, stringSerde, stringSerde)
        .withCachingEnabled()
        .build();
      await store.init(context, store);
      context.timestamp = 1;
      store.put('a', '1');
      await store.flush();
      context.timestamp = 2;
      expect(store.delete('never-existed')).toBeUndefined();
      expect(store.delete('a')).toBe('1');
      store.put('b', '2');
      store.delete('b'); // written and deleted between two commits: one tombstone, as the cache holds it
      await store.flush();
      expect(context.changes.map((c) => [s(c.key), s(c.value), c.timestamp])).toEqual([
        ['a', '1', 1],
        ['never-existed', null, 2],
        ['a', null, 2],
        ['b', null, 2],
      ]);
      expect(store.get('never-existed')).toBeUndefined();
      expect(drain(store.all())).toEqual([]);
      await store.close();
    },
  );

  it('evicts least recently used entries beyond cacheMaxBytes, flushing dirty ones first', async () => {
    const entryBytes = 2 + CACHE_ENTRY_OVERHEAD_BYTES; // 1-byte key + 1-byte value
    const context = new TestStateStoreContext(tmp.dir, entryBytes * 3);
    const { store, flushed } = await cachedStore(context);
    store.put('a', '1');
    store.put('b', '2');
    store.put('c', '3');
    expect(flushed).toEqual([]);
    // over budget: the eldest (a) is dirty, so the whole named cache flushes (d included, as in Kafka Streams), then a leaves
    store.put('d', '4');
    expect(flushed.map((f) => f[0])).toEqual(['a', 'b', 'c', 'd']);
    expect(context.changes.map((c) => s(c.key))).toEqual(['a', 'b', 'c', 'd']);
    const cache = RecordCache.forContext(context);
    expect(cache.sizeBytes).toBeLessThanOrEqual(entryBytes * 3);
    expect(cache.evictionCount).toBe(1);
    // the evicted key is still readable from the store below
    expect(store.get('a')).toBe('1');
    store.put('e', '5');
    store.put('f', '6');
    expect(flushed).toHaveLength(4);
    await store.close();
    expect(flushed.map((f) => f[0])).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it("hands each key's latest write's headers to the flush listener, on flush and on eviction (Kafka Streams' LRUCacheEntry context)", async () => {
    const entryBytes = 2 + CACHE_ENTRY_OVERHEAD_BYTES; // 1-byte key + 1-byte value
    const context = new TestStateStoreContext(tmp.dir, entryBytes * 2);
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('h'), stringSerde, stringSerde)
      .withCachingEnabled()
      .build();
    await store.init(context, store);
    const flushed: Array<[string, string | null, Record<string, unknown>]> = [];
    store.setFlushListener((k, n, _o, _ts, headers) => flushed.push([k, n, { ...headers }]));
    const h1 = { h: '1' };
    const h2 = { h: '2', trace: Buffer.from('t') };
    context.headers = h1;
    store.put('a', '1');
    context.headers = h2;
    store.put('a', '2'); // the latest write's headers win
    context.headers = undefined;
    store.put('b', '3'); // no headers: an empty object reaches the listener
    await store.flush();
    expect(flushed).toEqual([
      ['a', '2', { h: '2', trace: Buffer.from('t') }],
      ['b', '3', {}],
    ]);
    context.headers = { h: '4' };
    store.put('b', '4');
    context.headers = { h: '5' };
    store.delete('a'); // a tombstone carries the deleting record's headers
    context.headers = { h: '6' };
    store.put('c', '6'); // over budget: the eldest (b) is evicted, flushing a and c with it
    expect(flushed.slice(2)).toEqual([
      ['b', '4', { h: '4' }],
      ['a', null, { h: '5' }],
      ['c', '6', { h: '6' }],
    ]);
    expect(RecordCache.forContext(context).evictionCount).toBe(1);
    // a clean entry (read back into the cache) then rewritten without headers forwards none
    expect(store.get('b')).toBe('4');
    context.headers = {};
    store.put('b', '7');
    await store.close();
    expect(flushed.slice(5)).toEqual([['b', '7', {}]]);
  });

  it('with cacheMaxBytes 0 forwards every write at once', async () => {
    const context = new TestStateStoreContext(tmp.dir, 0);
    const { store, flushed } = await cachedStore(context);
    store.put('a', '1');
    store.put('a', '2');
    expect(flushed.map((f) => f[1])).toEqual(['1', '2']);
    await store.close();
  });

  it('shares one budget between the caching stores of a task, even with a context per store', async () => {
    const context = new TestStateStoreContext(tmp.dir, 1000);
    const sameTask = new TestStateStoreContext(tmp.dir, 1000, 'app', context.taskId);
    const one = await cachedStore(context, 'one');
    const two = await cachedStore(sameTask, 'two');
    for (let i = 0; i < 20; i++) one.store.put(`k${i}`, 'v');
    for (let i = 0; i < 20; i++) two.store.put(`k${i}`, 'v');
    expect(RecordCache.forContext(context).sizeBytes).toBeLessThanOrEqual(1000);
    expect(one.flushed.length + two.flushed.length).toBeGreaterThan(0);
    await one.store.close();
    await two.store.close();
  });

  it("shares one budget between the tasks of a thread (Kafka Streams' ThreadCache), not one per task", async () => {
    const thread = {};
    const taskA = new TestStateStoreContext(tmp.dir, 1000, 'app', taskIdOf(0, 0));
    const taskB = new TestStateStoreContext(tmp.dir, 1000, 'app', taskIdOf(1, 3));
    taskA.recordCacheOwner = thread;
    taskB.recordCacheOwner = thread;
    expect(RecordCache.forContext(taskA)).toBe(RecordCache.forContext(taskB));
    const a = await cachedStore(taskA, 'table');
    const b = await cachedStore(taskB, 'agg');
    for (let i = 0; i < 12; i++) a.store.put(`k${i}`, 'v'); // 12 x 68 bytes: within the budget
    expect(a.flushed).toEqual([]);
    for (let i = 0; i < 12; i++) b.store.put(`k${i}`, 'v');
    // the second task's writes count against the same 1000 bytes, and it evicts from its own cache only
    expect(RecordCache.forContext(taskA).sizeBytes).toBeLessThanOrEqual(1000);
    expect(a.flushed).toEqual([]);
    expect(b.flushed.length).toBeGreaterThan(0);
    // without an owner, each task has a cache of its own
    const alone = new TestStateStoreContext(tmp.dir, 1000, 'app', taskIdOf(2, 0));
    expect(RecordCache.forContext(alone)).not.toBe(RecordCache.forContext(taskA));
    await a.store.close();
    await b.store.close();
    // a closed store's named cache is gone: the task can open it again on the same thread
    const again = await cachedStore(taskA, 'table');
    await again.store.close();
  });

  it('range scans merge cache and store, cached tombstones hiding stored keys', async () => {
    const context = new TestStateStoreContext(tmp.dir);
    const { store } = await cachedStore(context);
    for (const k of ['a', 'c', 'e']) store.put(k, `stored-${k}`);
    await store.flush();
    store.put('b', 'cached-b');
    store.put('c', 'cached-c');
    store.delete('e');
    store.put('f', 'cached-f');
    expect(drain(store.all())).toEqual([
      ['a', 'stored-a'],
      ['b', 'cached-b'],
      ['c', 'cached-c'],
      ['f', 'cached-f'],
    ]);
    expect(drain(store.reverseRange('b', 'e'))).toEqual([
      ['c', 'cached-c'],
      ['b', 'cached-b'],
    ]);
    expect(drain(store.prefixScan('c', stringSerde.serializer()))).toEqual([['c', 'cached-c']]);
    await store.close();
  });

  it("drops flushed tombstones from the cache (Kafka Streams' NamedCache.flush); reads then see the store's delete", async () => {
    const context = new TestStateStoreContext(tmp.dir);
    const { store, flushed } = await cachedStore(context, 'tombstones', true);
    const cache = RecordCache.forContext(context);
    const name = `${context.taskId.toString()}-tombstones`;
    store.put('a', '1');
    store.put('b', '2');
    await store.flush();
    store.delete('a');
    store.put('c', '3');
    expect(cache.size(name)).toBe(3);
    const before = cache.sizeBytes;
    await store.flush();
    expect(flushed.slice(2)).toEqual([
      ['a', null, '1', 0],
      ['c', '3', null, 0],
    ]);
    // the tombstone of a left; b and c stay cached (clean), and the byte count shrank by its entry
    expect(cache.size(name)).toBe(2);
    expect(cache.sizeBytes).toBe(before - (1 + CACHE_ENTRY_OVERHEAD_BYTES));
    expect(store.get('a')).toBeUndefined();
    expect(drain(store.all())).toEqual([
      ['b', '2'],
      ['c', '3'],
    ]);
    // a delete written while the listener runs is kept (still dirty) and reaches the next flush
    store.put('d', '4');
    await store.flush();
    store.delete('d');
    store.setFlushListener((k) => {
      if (k === 'd') store.put('d', '5');
    }, true);
    await store.flush();
    expect(store.get('d')).toBe('5');
    await store.flush();
    expect(drain(store.all())).toEqual([
      ['b', '2'],
      ['c', '3'],
      ['d', '5'],
    ]);
    await store.close();
  });

  it('setFlushListener reports false without a caching layer', async () => {
    const context = new TestStateStoreContext(tmp.dir);
    const store: KeyValueStore<string, string> & CachedStateStore<string, string> =
      Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('plain'), stringSerde, stringSerde).build();
    await store.init(context, store);
    expect(store.setFlushListener(() => undefined)).toBe(false);
    await store.close();
  });

  it('close flushes pending writes to the changelog', async () => {
    const context = new TestStateStoreContext(tmp.dir);
    const { store } = await cachedStore(context);
    store.put('z', '26');
    await store.close();
    expect(context.changes.map((c) => [s(c.key), s(c.value)])).toEqual([['z', '26']]);
  });
});
