import { Stores } from '../../src/state';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

const s = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

describe('change-logging layer', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it.each([
    ['in-memory', () => Stores.inMemoryKeyValueStore('logged')],
    ['persistent', () => Stores.persistentKeyValueStore('logged')],
  ])(
    '%s: logs every write with the current record timestamp and registers the changelog topic',
    async (_k, supplier) => {
      const context = new TestStateStoreContext(tmp.dir, 0, 'shop');
      const builder = Stores.keyValueStoreBuilder(supplier(), stringSerde, stringSerde).withLoggingEnabled({
        'min.insync.replicas': '1',
      });
      expect(builder.loggingEnabled).toBe(true);
      expect(builder.logConfig).toEqual({ 'cleanup.policy': 'compact', 'min.insync.replicas': '1' });
      const store = builder.build();
      await store.init(context, store);

      expect(context.registrations).toHaveLength(1);
      expect(context.registrations[0].store).toBe(store);
      expect(context.registrations[0].registration?.changelogTopic).toBe('shop-logged-changelog');

      context.timestamp = 100;
      store.put('a', '1');
      context.timestamp = 101;
      expect(store.putIfAbsent('a', 'ignored')).toBe('1');
      store.putIfAbsent('b', '2');
      context.timestamp = 102;
      store.putAll([
        { key: 'c', value: '3' },
        { key: 'a', value: null },
      ]);
      context.timestamp = 103;
      store.delete('b');

      expect(context.changes.map((c) => [c.storeName, s(c.key), s(c.value), c.timestamp])).toEqual([
        ['logged', 'a', '1', 100],
        ['logged', 'b', '2', 101],
        ['logged', 'c', '3', 102],
        ['logged', 'a', null, 102],
        ['logged', 'b', null, 103],
      ]);
      expect(drain(store.all())).toEqual([['c', '3']]);
      await store.close();
    },
  );

  it('registers without a changelog topic when logging is disabled, and logs nothing', async () => {
    const context = new TestStateStoreContext(tmp.dir);
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('quiet'), stringSerde, stringSerde)
      .withLoggingDisabled()
      .build();
    await store.init(context, store);
    store.put('a', '1');
    expect(context.registrations[0].registration?.changelogTopic).toBeUndefined();
    expect(context.changes).toEqual([]);
    await store.close();
  });

  it('logs an lruMap eviction as a tombstone so the changelog matches the store', async () => {
    const context = new TestStateStoreContext(tmp.dir);
    const store = Stores.keyValueStoreBuilder(Stores.lruMap('lru', 2), stringSerde, stringSerde).build();
    await store.init(context, store);
    store.put('a', '1');
    store.put('b', '2');
    store.put('c', '3');
    expect(context.changes.map((c) => [s(c.key), s(c.value)])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['a', null],
      ['c', '3'],
    ]);
    await store.close();
  });
});
