import { Stores, Window, Windowed } from '../../src/state';
import type { MeteredWindowStore } from '../../src/state/internals/metered-window-store';
import { SessionStoreModel } from '../helpers/session-store-model';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';
import { seededRandom as random } from '../helpers/seeded-random';

const MIN = 60_000;
const flat = <K>(it: Iterable<{ key: Windowed<K>; value: string }>) =>
  drain(it).map(([w, v]) => `${String(w.key())}@${w.window().start()}-${w.window().end()}=${v}`);

/** One (key, start, end, value) row of a model store, in the `flat` form above. */
type Row = { key: string; start: number; end: number; value: string };
const flatRows = (rows: Row[]) => rows.map((r) => `${r.key}@${r.start}-${r.end}=${r.value}`);
/**
 * Kafka leaves the order of a window store's `fetchAll` and `all` unspecified (`InMemoryWindowStore`
 * gives start then key, the RocksDB one segment then key then start), so those are compared as sets.
 */
const unordered = (xs: string[]) => [...xs].sort();
// String keys compare as their UTF-8 bytes (all ASCII here), the order of Kafka's byte keys.
const byKey = (a: Row, b: Row) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Brute-force model of a Kafka window store without duplicates (`InMemoryWindowStore`): one value
 * per (key, window start); every put (null ones included) advances the observed stream time to
 * its window start; a window whose start is `<= streamTime - retention` is expired: a put to it is
 * dropped and no read returns it. Range reads are by window start, inclusive; one key's range is
 * in start order (backward: the reverse).
 */
class WindowStoreModel {
  private readonly rows = new Map<string, Row>();
  private streamTime = -1;

  constructor(
    private readonly retention: number,
    private readonly size: number,
  ) {}

  private live(start: number): boolean {
    return start > this.streamTime - this.retention;
  }

  put(key: string, value: string | null, start: number): void {
    this.streamTime = Math.max(this.streamTime, start);
    if (!this.live(start)) return;
    const id = `${key}\u0000${start}`;
    if (value === null) this.rows.delete(id);
    else this.rows.set(id, { key, start, end: start + this.size, value });
  }

  fetch(key: string, start: number): string | null {
    return this.live(start) ? (this.rows.get(`${key}\u0000${start}`)?.value ?? null) : null;
  }

  fetchAll(from: number, to: number): Row[] {
    return [...this.rows.values()]
      .filter((r) => this.live(r.start) && r.start >= from && r.start <= to)
      .sort((a, b) => a.start - b.start || byKey(a, b));
  }

  fetchRange(key: string, from: number, to: number): Array<[number, string]> {
    return this.fetchAll(from, to)
      .filter((r) => r.key === key)
      .map((r) => [r.start, r.value]);
  }

  all(): Row[] {
    return this.fetchAll(-Infinity, Infinity);
  }
}

describe.each([
  [false, true],
  [true, true],
  [false, false],
  [true, false],
])('window store (persistent=%s, cached=%s) against a brute-force model', (persistent, caching) => {
  it('agrees on 2,000 random operations with stream time advancing', async () => {
    const tmp = tempDir();
    const rnd = random(7);
    const context = new TestStateStoreContext(tmp.dir, 1_500);
    const supplier = (name: string) =>
      persistent
        ? Stores.persistentWindowStore(name, 10 * MIN, MIN, false)
        : Stores.inMemoryWindowStore(name, 10 * MIN, MIN, false);
    // Uncached, a forward fetchRange reads the layers' windowsOf (no iterators); cached, iterators.
    const builder = Stores.windowStoreBuilder(supplier('cached'), stringSerde, stringSerde);
    const cached = (caching ? builder.withCachingEnabled() : builder).build();
    const model = new WindowStoreModel(10 * MIN, MIN);
    await cached.init(context, cached);
    try {
      for (let i = 0; i < 2_000; i++) {
        const now = Math.floor(i / 50) * MIN; // stream time moves on: old windows expire
        const key = `k${Math.floor(rnd() * 20)}`;
        const start = Math.max(0, now - Math.floor(rnd() * 12) * MIN);
        const op = rnd();
        if (op < 0.5) {
          cached.put(key, `v${i}`, start);
          model.put(key, `v${i}`, start);
        } else if (op < 0.6) {
          cached.put(key, null, start);
          model.put(key, null, start);
        } else if (op < 0.7) {
          expect(cached.fetch(key, start) ?? null).toBe(model.fetch(key, start));
        } else if (op < 0.8) {
          expect(drain(cached.fetchRange(key, start, now))).toEqual(model.fetchRange(key, start, now));
          // The join's lookup: the same entries as an array, or undefined (cached: it iterates).
          const array = (cached as unknown as MeteredWindowStore<string, string>).fetchRangeArray(
            key,
            start,
            now,
          );
          if (caching) expect(array).toBeUndefined();
          else expect(array!.map((e) => [e.key, e.value])).toEqual(model.fetchRange(key, start, now));
        } else if (op < 0.85) {
          expect(drain(cached.backwardFetchRange(key, 0, now))).toEqual(
            model.fetchRange(key, 0, now).reverse(),
          );
        } else if (op < 0.95) {
          expect(unordered(flat(cached.fetchAll(start, now)))).toEqual(
            unordered(flatRows(model.fetchAll(start, now))),
          );
        } else {
          await cached.flush();
        }
      }
      expect(unordered(flat(cached.all()))).toEqual(unordered(flatRows(model.all())));
      await cached.flush();
      // the cached store's changelog rebuilds the same windows
      const copyContext = new TestStateStoreContext(tmp.dir);
      const copy = Stores.windowStoreBuilder(
        Stores.inMemoryWindowStore('copy', 10 * MIN, MIN, false),
        stringSerde,
        stringSerde,
      ).build();
      await copy.init(copyContext, copy);
      await copyContext.registrations[0].restore(
        context.changes.map((c, offset) => ({
          key: c.key,
          value: c.value,
          timestamp: c.timestamp,
          offset,
        })),
      );
      expect(unordered(flat(copy.all()))).toEqual(unordered(flatRows(model.all())));
      await copy.close();
    } finally {
      await cached.close();
      tmp.cleanup();
    }
  });
});

describe.each([false, true])(
  'cached session store (persistent=%s) against a brute-force model',
  (persistent) => {
    it('agrees on 2,000 random session merges', async () => {
      const tmp = tempDir();
      const rnd = random(11);
      const context = new TestStateStoreContext(tmp.dir, 1_500);
      const supplier = (name: string) =>
        persistent
          ? Stores.persistentSessionStore(name, 30 * MIN)
          : Stores.inMemorySessionStore(name, 30 * MIN);
      const cached = Stores.sessionStoreBuilder(supplier('cached'), stringSerde, stringSerde)
        .withCachingEnabled()
        .build();
      const model = new SessionStoreModel(30 * MIN);
      await cached.init(context, cached);
      const gap = 5 * MIN;
      try {
        for (let i = 0; i < 2_000; i++) {
          const key = `u${Math.floor(rnd() * 10)}`;
          const t = i * 20_000 + Math.floor(rnd() * 60_000);
          // session windows: merge every session within the gap, as the DSL's session aggregation does
          const found = model.findSessions(key, t - gap, t + gap);
          expect(flat(cached.findSessions(key, t - gap, t + gap))).toEqual(flatRows(found));
          // every live session of the key, cached and stored, over segments: forward and backward
          const all = flatRows(model.findSessions(key, 0, Number.MAX_SAFE_INTEGER));
          expect(flat(cached.findSessions(key, 0, Number.MAX_SAFE_INTEGER))).toEqual(all);
          expect(flat(cached.backwardFindSessions(key, 0, Number.MAX_SAFE_INTEGER))).toEqual(all.reverse());
          let start = t;
          let end = t;
          let agg = 1;
          for (const r of found) {
            start = Math.min(start, r.start);
            end = Math.max(end, r.end);
            agg += Number(r.value);
            cached.remove(new Windowed(key, new Window(r.start, r.end)));
            model.put(key, r.start, r.end, null);
          }
          cached.put(new Windowed(key, new Window(start, end)), String(agg));
          model.put(key, start, end, String(agg));
          expect(cached.fetchSession(key, start, end)).toBe(model.fetchSession(key, start, end));
          expect(model.fetchSession(key, start, end)).toBe(String(agg));
          if (rnd() < 0.05) await cached.flush();
        }
        for (let k = 0; k < 10; k++) {
          const sessions = model.findSessions(`u${k}`, 0, Number.MAX_SAFE_INTEGER);
          expect(flat(cached.fetch(`u${k}`))).toEqual(flatRows(sessions));
          expect(flat(cached.backwardFindSessions(`u${k}`, 0, Number.MAX_SAFE_INTEGER))).toEqual(
            flatRows([...sessions].reverse()),
          );
        }
      } finally {
        await cached.close();
        tmp.cleanup();
      }
    });
  },
);
