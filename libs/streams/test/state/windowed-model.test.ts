import { Stores, Window, Windowed } from '../../src/state';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = 60_000;
const flat = <K>(it: Iterable<{ key: Windowed<K>; value: string }>) =>
  drain(it).map(([w, v]) => `${String(w.key())}@${w.window().start()}-${w.window().end()}=${v}`);

describe.each([false, true])('cached window store (persistent=%s) against an uncached one', (persistent) => {
  it('agrees on 2,000 random operations with stream time advancing', async () => {
    const tmp = tempDir();
    const rnd = random(7);
    const context = new TestStateStoreContext(tmp.dir, 1_500);
    const refContext = new TestStateStoreContext(tmp.dir);
    const supplier = (name: string) =>
      persistent
        ? Stores.persistentWindowStore(name, 10 * MIN, MIN, false)
        : Stores.inMemoryWindowStore(name, 10 * MIN, MIN, false);
    const cached = Stores.windowStoreBuilder(supplier('cached'), stringSerde, stringSerde)
      .withCachingEnabled()
      .build();
    const reference = Stores.windowStoreBuilder(
      Stores.inMemoryWindowStore('ref', 10 * MIN, MIN, false),
      stringSerde,
      stringSerde,
    ).build();
    await cached.init(context, cached);
    await reference.init(refContext, reference);
    try {
      for (let i = 0; i < 2_000; i++) {
        const now = Math.floor(i / 50) * MIN; // stream time moves on: old windows expire
        const key = `k${Math.floor(rnd() * 20)}`;
        const start = Math.max(0, now - Math.floor(rnd() * 12) * MIN);
        const op = rnd();
        if (op < 0.5) {
          cached.put(key, `v${i}`, start);
          reference.put(key, `v${i}`, start);
        } else if (op < 0.6) {
          cached.put(key, null, start);
          reference.put(key, null, start);
        } else if (op < 0.7) {
          expect(cached.fetch(key, start)).toBe(reference.fetch(key, start));
        } else if (op < 0.8) {
          expect(drain(cached.fetchRange(key, start, now))).toEqual(
            drain(reference.fetchRange(key, start, now)),
          );
        } else if (op < 0.85) {
          expect(drain(cached.backwardFetchRange(key, 0, now))).toEqual(
            drain(reference.backwardFetchRange(key, 0, now)),
          );
        } else if (op < 0.95) {
          expect(flat(cached.fetchAll(start, now))).toEqual(flat(reference.fetchAll(start, now)));
        } else {
          await cached.flush();
        }
      }
      expect(flat(cached.all())).toEqual(flat(reference.all()));
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
        context.changes.map((c, offset) => ({ key: c.key, value: c.value, timestamp: c.timestamp, offset })),
      );
      expect(flat(copy.all())).toEqual(flat(reference.all()));
      await copy.close();
    } finally {
      await cached.close();
      await reference.close();
      tmp.cleanup();
    }
  });
});

describe.each([false, true])('cached session store (persistent=%s) against an uncached one', (persistent) => {
  it('agrees on 2,000 random session merges', async () => {
    const tmp = tempDir();
    const rnd = random(11);
    const context = new TestStateStoreContext(tmp.dir, 1_500);
    const refContext = new TestStateStoreContext(tmp.dir);
    const supplier = (name: string) =>
      persistent
        ? Stores.persistentSessionStore(name, 30 * MIN)
        : Stores.inMemorySessionStore(name, 30 * MIN);
    const cached = Stores.sessionStoreBuilder(supplier('cached'), stringSerde, stringSerde)
      .withCachingEnabled()
      .build();
    const reference = Stores.sessionStoreBuilder(
      Stores.inMemorySessionStore('ref', 30 * MIN),
      stringSerde,
      stringSerde,
    ).build();
    await cached.init(context, cached);
    await reference.init(refContext, reference);
    const gap = 5 * MIN;
    try {
      for (let i = 0; i < 2_000; i++) {
        const key = `u${Math.floor(rnd() * 10)}`;
        const t = i * 20_000 + Math.floor(rnd() * 60_000);
        // session windows: merge every session within the gap, as the DSL's session aggregation does
        const found = drain(reference.findSessions(key, t - gap, t + gap));
        expect(flat(cached.findSessions(key, t - gap, t + gap))).toEqual(
          flat(reference.findSessions(key, t - gap, t + gap)),
        );
        let start = t;
        let end = t;
        let agg = 1;
        for (const [w, v] of found) {
          start = Math.min(start, w.window().start());
          end = Math.max(end, w.window().end());
          agg += Number(v);
          cached.remove(w);
          reference.remove(w);
        }
        cached.put(new Windowed(key, new Window(start, end)), String(agg));
        reference.put(new Windowed(key, new Window(start, end)), String(agg));
        expect(cached.fetchSession(key, start, end)).toBe(String(agg));
        if (rnd() < 0.05) await cached.flush();
      }
      for (let k = 0; k < 10; k++) {
        expect(flat(cached.fetch(`u${k}`))).toEqual(flat(reference.fetch(`u${k}`)));
        expect(flat(cached.backwardFindSessions(`u${k}`, 0, Number.MAX_SAFE_INTEGER))).toEqual(
          flat(reference.backwardFindSessions(`u${k}`, 0, Number.MAX_SAFE_INTEGER)),
        );
      }
    } finally {
      await cached.close();
      await reference.close();
      tmp.cleanup();
    }
  });
});
