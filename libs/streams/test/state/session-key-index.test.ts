import { Stores, Window, Windowed } from '../../src/state';
import { SessionKeyIndex } from '../../src/state/internals/session-key-index';
import { SessionStoreModel } from '../helpers/session-store-model';
import { seededRandom as random } from '../kstream/dsl-test-helpers';
import { stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

const MIN = 60_000;

describe('SessionKeyIndex', () => {
  it('lists nothing until built, then each key sessions in store order (end, then start)', () => {
    const index = new SessionKeyIndex();
    index.add('a', 5, 1);
    expect(index.active).toBe(false);
    expect(index.sessionsOf('a')).toBeUndefined();
    index.build((visit) => {
      visit('a', 30, 25);
      visit('b', 7, 7);
    });
    index.add('a', 10, 2);
    index.add('a', 30, 20); // same end, earlier start: before (30, 25)
    index.add('a', 40, 35);
    index.add('a', 10, 2); // already there
    expect(index.sessionsOf('a')).toEqual([10, 2, 30, 20, 30, 25, 40, 35]);
    index.remove('a', 30, 20);
    index.remove('a', 99, 1); // not there: nothing happens
    expect(index.sessionsOf('a')).toEqual([10, 2, 30, 25, 40, 35]);
    index.remove('b', 7, 7);
    expect(index.sessionsOf('b')).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it('forgets sessions that ended before the live time, at most once per prune interval of live time', () => {
    const index = new SessionKeyIndex(100, 50);
    index.build((visit) => {
      visit('old', 10, 5);
      visit('mixed', 15, 12);
      visit('mixed', 100, 90);
    });
    index.prune(20);
    expect(index.sessionsOf('old')).toBeUndefined();
    expect(index.sessionsOf('mixed')).toEqual([100, 90]);
    index.add('mid', 30, 30);
    index.prune(60); // only 40 after the last prune: not yet
    expect(index.sessionsOf('mid')).toEqual([30, 30]);
    index.prune(70);
    expect(index.sessionsOf('mid')).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it('turns itself off for good past its key limit, and stops the scan there', () => {
    const index = new SessionKeyIndex(3);
    let visited = 0;
    index.build((visit) => {
      for (let i = 0; i < 100; i++) {
        visited++;
        visit(`k${i}`, 1, 1);
      }
    });
    expect(index.active).toBe(false);
    expect(visited).toBe(4);
    index.build((visit) => visit('a', 1, 1));
    expect(index.active).toBe(false);
    index.reset();
    index.build((visit) => visit('a', 1, 1));
    expect(index.sessionsOf('a')).toEqual([1, 1]);
  });

  it('is not built from a scan that failed part-way', () => {
    const index = new SessionKeyIndex();
    expect(() =>
      index.build((visit) => {
        visit('a', 1, 1);
        throw new Error('read failed');
      }),
    ).toThrow('read failed');
    expect(index.active).toBe(false);
    index.build((visit) => visit('b', 2, 2));
    expect(index.sessionsOf('a')).toBeUndefined();
    expect(index.sessionsOf('b')).toEqual([2, 2]);
  });
});

/** The model's sessions of `key` with `end >= earliestEnd` and `start <= latestStart`, as [start, end, value]. */
const find = (model: SessionStoreModel, key: string, earliestEnd: number, latestStart: number) =>
  model
    .findSessions(key, earliestEnd, latestStart)
    .map((r): [number, number, string] => [r.start, r.end, r.value]);

const flat = (it: Iterable<{ key: Windowed<string>; value: string }>) => {
  const out: Array<[number, number, string]> = [];
  for (const e of it) out.push([e.key.window().start(), e.key.window().end(), e.value]);
  if ('close' in it) (it as { close(): void }).close();
  return out;
};

describe.each([
  [true, true],
  [true, false],
  [false, true],
  [false, false],
])(
  'session store lookups through the session index (persistent=%s, cached=%s) against a brute-force model',
  (persistent, caching) => {
    it('agree over merges, out-of-order records, deletes, expiry, a reopen and a changelog restore', async () => {
      const tmp = tempDir();
      const rnd = random(23);
      const retention = 20 * MIN;
      const gap = 3 * MIN;
      const model = new SessionStoreModel(retention);
      let context = new TestStateStoreContext(tmp.dir, 2_000);
      const open = async (ctx: TestStateStoreContext) => {
        const supplier = persistent
          ? Stores.persistentSessionStore('sessions', retention)
          : Stores.inMemorySessionStore('sessions', retention);
        const b = Stores.sessionStoreBuilder(supplier, stringSerde, stringSerde);
        const s = (caching ? b.withCachingEnabled() : b.withCachingDisabled()).build();
        await s.init(ctx, s);
        return s;
      };
      let store = await open(context);
      const step = (i: number) => {
        const key = `c${Math.floor(rnd() * 12)}|S`;
        // mostly in order, some records up to 4 minutes late
        const t =
          10 * MIN +
          i * 15_000 +
          Math.floor(rnd() * 30_000) -
          (rnd() < 0.2 ? Math.floor(rnd() * 4 * MIN) : 0);
        const found = find(model, key, t - gap, t + gap);
        expect(flat(store.findSessions(key, t - gap, t + gap))).toEqual(found);
        expect(flat(store.backwardFindSessions(key, t - gap, t + gap))).toEqual([...found].reverse());
        let start = t;
        let end = t;
        let agg = 1;
        for (const [s, e, v] of found) {
          start = Math.min(start, s);
          end = Math.max(end, e);
          agg += Number(v);
          store.remove(new Windowed(key, new Window(s, e)));
          model.put(key, s, e, null);
        }
        store.put(new Windowed(key, new Window(start, end)), String(agg));
        model.put(key, start, end, String(agg));
        if (rnd() < 0.03) {
          // a plain delete of some live session of another key
          const other = `c${Math.floor(rnd() * 12)}|S`;
          const [victim] = find(model, other, 0, Number.MAX_SAFE_INTEGER);
          if (victim) {
            store.remove(new Windowed(other, new Window(victim[0], victim[1])));
            model.put(other, victim[0], victim[1], null);
          }
        }
      };
      const everything = () => {
        for (let k = 0; k < 12; k++) {
          const key = `c${k}|S`;
          expect(flat(store.findSessions(key, 0, Number.MAX_SAFE_INTEGER))).toEqual(
            find(model, key, 0, Number.MAX_SAFE_INTEGER),
          );
        }
      };
      try {
        for (let i = 0; i < 600; i++) {
          step(i);
          if (rnd() < 0.05) await store.flush();
        }
        everything();
        await store.flush();
        await store.close();
        if (persistent) {
          // reopened on its files: the first lookup builds the index from a scan of the store. Its
          // stream time is not kept (as Kafka Streams' segmented stores, it starts over): a write
          // at the last stream time brings it back before the comparison.
          store = await open(context);
          const now = model.streamTime;
          store.put(new Windowed('zz', new Window(now, now)), '0');
          model.put('zz', now, now, '0');
          everything();
          for (let i = 600; i < 900; i++) step(i);
          everything();
          await store.flush();
          await store.close();
        }
        // a new instance restored from the changelog: one batch before the first lookup, the
        // rest after it (the index, built by then, takes the restored writes)
        const changes = context.changes.filter((c) => c.storeName === 'sessions');
        const fresh = tempDir();
        context = new TestStateStoreContext(fresh.dir, 2_000);
        try {
          store = await open(context);
          const restore = context.registrations[context.registrations.length - 1]!.restore;
          const half = Math.floor(changes.length / 2);
          const asRecords = (cs: typeof changes) =>
            cs.map((c) => ({ key: c.key, value: c.value, timestamp: c.timestamp, headers: {} }));
          await restore(asRecords(changes.slice(0, half)) as never);
          flat(store.findSessions('c0|S', 0, Number.MAX_SAFE_INTEGER)); // builds the index
          await restore(asRecords(changes.slice(half)) as never);
          everything();
          for (let i = 900; i < 1_100; i++) step(i);
          everything();
        } finally {
          await store.close();
          fresh.cleanup();
        }
      } finally {
        tmp.cleanup();
      }
    });
  },
);
