import {
  InvalidStateStoreError,
  QueryableStoreTypes,
  Stores,
  Window,
  Windowed,
  type ReadOnlyKeyValueStore,
} from '../../src/state';
import {
  CompositeReadOnlyKeyValueStore,
  CompositeReadOnlySessionStore,
  CompositeReadOnlyWindowStore,
} from '../../src/state/internals/composite-read-only-stores';
import { CACHE_ENTRY_OVERHEAD_BYTES } from '../../src/state/internals/record-cache';
import { drain, stringSerde, taskId, tempDir, TestStateStoreContext } from './state-test-context';

describe('queryable store types and composite read-only views', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('a key-value view reads across the tasks of an instance and throws a retriable error when none is there', async () => {
    const stores = [0, 1].map((p) => {
      const s = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore('counts'),
        stringSerde,
        stringSerde,
      ).build();
      s.init(new TestStateStoreContext(tmp.dir, 0, 'app', taskId(0, p)), s);
      return s;
    });
    stores[0].put('a', '1');
    stores[1].put('b', '2');
    stores[1].put('c', '3');
    let available: ReadOnlyKeyValueStore<string, string>[] = stores;
    const view = new CompositeReadOnlyKeyValueStore<string, string>('counts', () => available);
    expect(view.get('b')).toBe('2');
    expect(view.get('z')).toBeUndefined();
    expect(drain(view.all())).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    expect(drain(view.range('b', 'c'))).toEqual([
      ['b', '2'],
      ['c', '3'],
    ]);
    expect(view.approximateNumEntries()).toBe(3);
    expect(QueryableStoreTypes.keyValueStore().accepts(stores[0])).toBe(true);
    expect(QueryableStoreTypes.windowStore().accepts(stores[0])).toBe(false);
    available = [];
    const error = (() => {
      try {
        view.get('a');
      } catch (e) {
        return e as InvalidStateStoreError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidStateStoreError);
    expect(error?.retriable).toBe(true);
    for (const s of stores) await s.close();
  });

  it('a query does not bring a row into the record cache: no eviction, so no cached update is written down early', async () => {
    // a budget of two entries (key, value: one byte each, plus the per-entry overhead)
    const context = new TestStateStoreContext(tmp.dir, 2 * (1 + 1 + CACHE_ENTRY_OVERHEAD_BYTES));
    const store = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('counts'),
      stringSerde,
      stringSerde,
    )
      .withCachingEnabled()
      .build();
    await store.init(context, store);
    store.put('a', '1');
    await store.flush(); // 'a' written down and logged; kept as a clean entry
    store.put('b', '2');
    store.put('c', '3'); // over budget: the clean 'a' leaves the cache (nothing to write)
    expect(context.changes.map((c) => c.key.toString())).toEqual(['a']);
    const view = new CompositeReadOnlyKeyValueStore<string, string>('counts', () => [store]);
    expect(view.get('a')).toBe('1'); // found below
    expect(view.get('b')).toBe('2'); // cached, not yet written down; now the most recently used
    // Caching 'a' would have evicted the dirty 'b' and written 'b' and 'c' down (and logged them):
    // Kafka Streams caches a row read from below only on the stream thread.
    expect(context.changes.map((c) => c.key.toString())).toEqual(['a']);
    // The task's own read does cache it: the eldest ('c': the query's hit moved 'b' up) is evicted
    // and written down first, then the other dirty entries.
    expect(store.get('a')).toBe('1');
    expect(context.changes.map((c) => c.key.toString())).toEqual(['a', 'c', 'b']);
    await store.close();
  });

  it('window and session views read across tasks', async () => {
    const ctx = (p: number) => new TestStateStoreContext(tmp.dir, 0, 'app', taskId(0, p));
    const windows = [0, 1].map((p) => {
      const s = Stores.windowStoreBuilder(
        Stores.inMemoryWindowStore('w', 600_000, 60_000, false),
        stringSerde,
        stringSerde,
      ).build();
      s.init(ctx(p), s);
      return s;
    });
    windows[0].put('a', 'x', 0);
    windows[1].put('b', 'y', 60_000);
    const wview = new CompositeReadOnlyWindowStore<string, string>('w', () => windows);
    expect(wview.fetch('b', 60_000)).toBe('y');
    expect(drain(wview.fetchAll(0, 600_000)).map(([w, v]) => [w.key(), v])).toEqual([
      ['a', 'x'],
      ['b', 'y'],
    ]);
    expect(QueryableStoreTypes.windowStore().accepts(windows[0])).toBe(true);

    const sessions = [0, 1].map((p) => {
      const s = Stores.sessionStoreBuilder(
        Stores.inMemorySessionStore('s', 600_000),
        stringSerde,
        stringSerde,
      ).build();
      s.init(ctx(p), s);
      return s;
    });
    sessions[1].put(new Windowed('u', new Window(5, 10)), 'agg');
    const sview = new CompositeReadOnlySessionStore<string, string>('s', () => sessions);
    expect(sview.fetchSession('u', 5, 10)).toBe('agg');
    expect(drain(sview.fetch('u')).map(([, v]) => v)).toEqual(['agg']);
    expect(QueryableStoreTypes.sessionStore().accepts(sessions[0])).toBe(true);
    for (const s of [...windows, ...sessions]) await s.close();
  });
});
