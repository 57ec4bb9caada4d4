import { Stores, type KeyValueBytesStoreSupplier } from '../../src/state';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';
import { seededRandom as random } from '../helpers/seeded-random';

const kinds: Array<[string, (n: string) => KeyValueBytesStoreSupplier, boolean]> = [
  ['in-memory', (n) => Stores.inMemoryKeyValueStore(n), false],
  ['in-memory cached', (n) => Stores.inMemoryKeyValueStore(n), true],
  ['persistent', (n) => Stores.persistentKeyValueStore(n), false],
  ['persistent cached', (n) => Stores.persistentKeyValueStore(n), true],
];

/** Reference: a Map, sorted by the same UTF-8 byte order on reads. */
function sortedEntries(model: Map<string, string>, from?: string, to?: string): Array<[string, string]> {
  const cmp = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return [...model.entries()]
    .filter(([k]) => (from === undefined || cmp(k, from) >= 0) && (to === undefined || cmp(k, to) <= 0))
    .sort(([a], [b]) => cmp(a, b));
}

describe.each(kinds)('%s store against a Map model', (_kind, supplierOf, cached) => {
  it('agrees on 3,000 random operations, and a store restored from its changelog agrees too', async () => {
    const tmp = tempDir();
    const rnd = random(42);
    // a small cache forces evictions in the middle of the run
    const context = new TestStateStoreContext(tmp.dir, 2_000);
    const builder = Stores.keyValueStoreBuilder(supplierOf('model'), stringSerde, stringSerde);
    if (cached) builder.withCachingEnabled();
    const store = builder.build();
    await store.init(context, store);
    const model = new Map<string, string>();
    const key = () => `k${Math.floor(rnd() * 200)}${rnd() < 0.1 ? 'é' : ''}`;
    try {
      for (let i = 0; i < 3_000; i++) {
        const op = rnd();
        const k = key();
        if (op < 0.4) {
          store.put(k, `v${i}`);
          model.set(k, `v${i}`);
        } else if (op < 0.5) {
          expect(store.putIfAbsent(k, `p${i}`)).toBe(model.get(k));
          if (!model.has(k)) model.set(k, `p${i}`);
        } else if (op < 0.65) {
          expect(store.delete(k)).toBe(model.get(k));
          model.delete(k);
        } else if (op < 0.8) {
          expect(store.get(k)).toBe(model.get(k));
        } else if (op < 0.9) {
          const [a, b] = [key(), key()].sort();
          expect(drain(store.range(a, b))).toEqual(sortedEntries(model, a, b));
        } else if (op < 0.95) {
          expect(drain(store.reverseAll())).toEqual(sortedEntries(model).reverse());
        } else {
          await store.flush();
        }
      }
      await store.flush();
      expect(drain(store.all())).toEqual(sortedEntries(model));

      // replay the changelog into a fresh in-memory store: it must equal the model
      const other = new TestStateStoreContext(tmp.dir);
      const copy = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore('copy'),
        stringSerde,
        stringSerde,
      ).build();
      await copy.init(other, copy);
      await other.registrations[0].restore(
        context.changes.map((c, offset) => ({ key: c.key, value: c.value, timestamp: c.timestamp, offset })),
      );
      expect(drain(copy.all())).toEqual(sortedEntries(model));
      await copy.close();
    } finally {
      await store.close();
      tmp.cleanup();
    }
  });
});
