import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Stores, Window, Windowed } from '../../src/state';
import { LatestTimestampIndex } from '../../src/state/internals/latest-timestamp-index';
import { LmdbTable } from '../../src/state/internals/lmdb-table';
import { MemoryTable } from '../../src/state/internals/memory-table';
import { seededRandom as random } from '../kstream/dsl-test-helpers';
import { drain, type LoggedChange, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

const MIN = 60_000;

describe('LatestTimestampIndex', () => {
  it('says "may have" for everything until built', () => {
    const index = new LatestTimestampIndex();
    index.note('a', 5);
    expect(index.active).toBe(false);
    expect(index.mayHave('a', 1_000)).toBe(true);
    expect(index.mayHave('never', 0)).toBe(true);
  });

  it('once built, answers "no" only for keys whose latest timestamp is before the one asked', () => {
    const index = new LatestTimestampIndex();
    index.build((visit) => {
      visit('a', 10);
      visit('a', 30);
      visit('a', 20);
      visit('b', 5);
    });
    expect(index.mayHave('a', 30)).toBe(true);
    expect(index.mayHave('a', 0)).toBe(true);
    expect(index.mayHave('a', 31)).toBe(false);
    expect(index.mayHave('b', 6)).toBe(false);
    expect(index.mayHave('c', 0)).toBe(false);
    index.note('c', 7);
    index.note('a', 25); // never lowers
    expect(index.mayHave('c', 7)).toBe(true);
    expect(index.mayHave('a', 30)).toBe(true);
  });

  it('forgets keys that fell out of retention, at most once per prune interval of live time', () => {
    const index = new LatestTimestampIndex(100, 50);
    index.build((visit) => {
      visit('old', 10);
      visit('new', 100);
    });
    index.prune(20);
    expect(index.size).toBe(1);
    index.note('mid', 30);
    index.prune(60); // only 40 after the last prune: not yet
    expect(index.size).toBe(2);
    index.prune(70);
    expect(index.size).toBe(1);
    expect(index.mayHave('new', 100)).toBe(true);
  });

  it('turns itself off for good past its key limit: every lookup then reads the store', () => {
    const index = new LatestTimestampIndex(3);
    index.build((visit) => ['a', 'b', 'c'].forEach((k) => visit(k, 1)));
    expect(index.active).toBe(true);
    index.note('d', 1);
    expect(index.active).toBe(false);
    expect(index.mayHave('zzz', 1_000)).toBe(true);
    index.build((visit) => visit('a', 1));
    expect(index.active).toBe(false);
    index.reset();
    index.build((visit) => visit('a', 1));
    expect(index.mayHave('b', 0)).toBe(false);
  });

  it('stops reading the store once the scan has passed its key limit', () => {
    const index = new LatestTimestampIndex(10);
    let visited = 0;
    index.build((visit) => {
      for (let i = 0; i < 1_000; i++) {
        visited++;
        visit(`k${i}`, 1);
      }
    });
    expect(index.active).toBe(false);
    expect(visited).toBe(11);
    expect(index.mayHave('k500', 1)).toBe(true);
  });

  it('is not built from a scan that failed part-way: it then says "may have" and the next build scans again', () => {
    const index = new LatestTimestampIndex();
    const failure = new Error('read failed');
    expect(() =>
      index.build((visit) => {
        visit('a', 10);
        throw failure;
      }),
    ).toThrow(failure);
    expect(index.active).toBe(false);
    expect(index.mayHave('b', 0)).toBe(true); // 'b' was never scanned: it may be there
    index.note('c', 5); // a write before the next build: not tracked, the scan will see it
    index.build((visit) => {
      visit('a', 10);
      visit('b', 20);
      visit('c', 5);
    });
    expect(index.mayHave('b', 20)).toBe(true);
    expect(index.mayHave('b', 21)).toBe(false);
    expect(index.mayHave('c', 5)).toBe(true);
  });
});

describe.each([false, true])(
  'segmented stores with the latest-timestamp index (persistent=%s)',
  (persistent) => {
    let tmp: ReturnType<typeof tempDir>;
    beforeEach(() => (tmp = tempDir()));
    afterEach(() => tmp.cleanup());

    const windowStore = async (context: TestStateStoreContext) => {
      const supplier = persistent
        ? Stores.persistentWindowStore('w', 10 * MIN, MIN, false)
        : Stores.inMemoryWindowStore('w', 10 * MIN, MIN, false);
      const store = Stores.windowStoreBuilder(supplier, stringSerde, stringSerde).build();
      await store.init(context, store);
      return store;
    };
    const restoreInto = async (context: TestStateStoreContext, changes: LoggedChange[]) =>
      context.registrations[0].restore(
        changes.map((c, offset) => ({ key: c.key, value: c.value, timestamp: c.timestamp, offset })),
      );

    it('a window store agrees with a model across random writes, reopening and restoring from its changelog', async () => {
      const rnd = random(3);
      /** The changelog so far: every context's changes, in order. */
      const contexts: TestStateStoreContext[] = [new TestStateStoreContext(tmp.dir, 0)];
      const log = () => contexts.flatMap((c) => c.changes);
      let store = await windowStore(contexts[0]!);
      /** (key, start) -> value; retention 10 min of the largest start written. */
      const model = new Map<string, string>();
      let streamTime = -1;
      const live = (start: number) => start > streamTime - 10 * MIN;
      const put = (key: string, value: string | null, start: number) => {
        store.put(key, value, start);
        streamTime = Math.max(streamTime, start);
        if (value === null) model.delete(`${key}@${start}`);
        else if (live(start)) model.set(`${key}@${start}`, value);
      };
      const check = (key: string, start: number) => {
        expect(store.fetch(key, start)).toBe(live(start) ? model.get(`${key}@${start}`) : undefined);
        const range = [...model]
          .map(([id, v]) => [id.split('@'), v] as const)
          .filter(([[k, s]]) => k === key && Number(s) >= start && live(Number(s)))
          .map(([[, s], v]) => [Number(s), v])
          .sort((a, b) => (a[0] as number) - (b[0] as number));
        expect(drain(store.fetchRange(key, start, Number.MAX_SAFE_INTEGER))).toEqual(range);
      };
      const checkAll = () => {
        for (let k = 0; k < 15; k++)
          for (let s = Math.max(0, streamTime - 12 * MIN); s <= streamTime + MIN; s += 20_000)
            check(`k${k}`, s);
      };
      for (let phase = 0; phase < 3; phase++) {
        for (let i = 0; i < 400; i++) {
          const now = (phase * 400 + i) * 3_000;
          const key = `k${Math.floor(rnd() * 15)}`;
          // mostly windows at stream time (new ones), some late ones
          const late = rnd() < 0.2 ? rnd() * 12 * MIN : 0;
          const start = Math.max(0, Math.floor((now - late) / 5_000) * 5_000);
          const op = rnd();
          if (op < 0.55) put(key, `v${phase}.${i}`, start);
          else if (op < 0.65) put(key, null, start);
          else {
            check(key, start);
            check(key, start + 5_000 * Math.floor(rnd() * 4));
          }
        }
        checkAll();
        if (phase === 2) break;
        await store.close();
        const dir = phase === 0 ? tmp.dir : join(tmp.dir, `restored-${phase}`);
        mkdirSync(dir, { recursive: true });
        const context = new TestStateStoreContext(dir, 0);
        const changes = log();
        contexts.push(context);
        store = await windowStore(context);
        if (phase === 0 && !persistent) await restoreInto(context, changes);
        if (phase === 1) {
          // a new store restored from the whole changelog, in two batches with lookups between
          const half = Math.floor(changes.length / 2);
          await restoreInto(context, changes.slice(0, half));
          drain(store.fetchRange('k0', 0, Number.MAX_SAFE_INTEGER)); // builds the index
          await restoreInto(context, changes.slice(half));
        }
        put('sentinel', 'x', streamTime); // stream time as before (a reopened store has seen no write yet)
        checkAll();
      }
      await store.close();
    });

    it('answers lookups of windows after every window of the key without reading the table', async () => {
      const context = new TestStateStoreContext(tmp.dir, 0);
      const store = await windowStore(context);
      store.put('a', 'a0', 0);
      store.put('a', 'a1', MIN);
      store.put('b', 'b1', MIN);
      expect(store.fetch('a', MIN)).toBe('a1'); // builds the index, reads the table
      const reads = jest.spyOn(LmdbTable.prototype, 'get');
      try {
        expect(store.fetch('a', 2 * MIN)).toBeUndefined();
        expect(store.fetch('c', MIN)).toBeUndefined();
        expect(drain(store.fetchRange('b', 2 * MIN, 3 * MIN))).toEqual([]);
        store.put('a', 'a2', 3 * MIN);
        expect(store.fetch('a', 3 * MIN)).toBe('a2');
        expect(store.fetch('a', 2 * MIN)).toBeUndefined(); // 2 min <= latest 3 min: read
        if (persistent) expect(reads).toHaveBeenCalledTimes(2);
      } finally {
        reads.mockRestore();
        await store.close();
      }
    });

    it('an in-memory store builds its index at open, empty: no lookup scans the store for it', async () => {
      if (persistent) return; // a persistent store opens with what it holds: its index is built by a scan
      const context = new TestStateStoreContext(tmp.dir, 0);
      const store = await windowStore(context);
      const scans = jest.spyOn(MemoryTable.prototype, 'forEachInRange');
      try {
        store.put('a', 'a0', 0);
        store.put('b', 'b1', MIN);
        expect(store.fetch('b', MIN)).toBe('b1');
        expect(store.fetch('a', MIN)).toBeUndefined();
        expect(store.fetch('c', 0)).toBeUndefined();
        expect(store.fetch('a', 0)).toBe('a0');
        expect(scans).not.toHaveBeenCalled();
      } finally {
        scans.mockRestore();
        await store.close();
      }
    });

    it('a lookup whose index scan fails is not answered from a half-built index', async () => {
      if (!persistent) return; // an in-memory store's index is built at open, without a scan
      const context = new TestStateStoreContext(tmp.dir, 0);
      const store = await windowStore(context);
      store.put('a', 'a0', 0);
      store.put('b', 'b1', MIN);
      store.put('c', 'c2', 2 * MIN);
      type Visit = (key: Buffer, value: Buffer) => void;
      type Scan = (from: Buffer | undefined, to: Buffer | undefined, reverse: boolean, visit: Visit) => void;
      const table = (persistent ? LmdbTable.prototype : MemoryTable.prototype) as unknown as {
        forEachInRange: Scan;
      };
      const scan = table.forEachInRange;
      // The first scan (the index's build) fails after its first entry, as a failing read would.
      const failing = jest.spyOn(table, 'forEachInRange').mockImplementationOnce(function (
        this: unknown,
        from,
        to,
        reverse,
        visit,
      ) {
        let n = 0;
        scan.call(this, from, to, reverse, (k, v) => {
          if (n++ === 1) throw new Error('read failed');
          visit(k, v);
        });
      });
      try {
        expect(() => store.fetch('b', MIN)).toThrow(/read failed/);
        expect(store.fetch('b', MIN)).toBe('b1');
        expect(store.fetch('c', 2 * MIN)).toBe('c2');
        expect(drain(store.fetchRange('c', 0, 3 * MIN))).toEqual([[2 * MIN, 'c2']]);
        expect(store.fetch('c', 3 * MIN)).toBeUndefined();
      } finally {
        failing.mockRestore();
        await store.close();
      }
    });

    it('a session store finds the sessions of a model across merges, reopening and late records', async () => {
      const rnd = random(5);
      const open = async (context: TestStateStoreContext) => {
        const supplier = persistent
          ? Stores.persistentSessionStore('s', 30 * MIN)
          : Stores.inMemorySessionStore('s', 30 * MIN);
        const store = Stores.sessionStoreBuilder(supplier, stringSerde, stringSerde).build();
        await store.init(context, store);
        return store;
      };
      const context = new TestStateStoreContext(tmp.dir, 0);
      let store = await open(context);
      const rows = new Map<string, { key: string; start: number; end: number; value: string }>();
      let streamTime = -1;
      const find = (key: string, earliestEnd: number, latestStart: number) =>
        [...rows.values()]
          .filter(
            (r) =>
              r.key === key &&
              r.end > streamTime - 30 * MIN &&
              r.end >= earliestEnd &&
              r.start <= latestStart,
          )
          .sort((a, b) => a.end - b.end || a.start - b.start)
          .map((r) => `${r.start}-${r.end}=${r.value}`);
      const flat = (it: Iterable<{ key: Windowed<string>; value: string }>) =>
        drain(it).map(([w, v]) => `${w.window().start()}-${w.window().end()}=${v}`);
      const gap = 20_000;
      for (let i = 0; i < 1_500; i++) {
        if (i === 700) {
          await store.close();
          const again = new TestStateStoreContext(tmp.dir, 0);
          store = await open(again);
          if (!persistent) await restoreInto(again, context.changes);
          // stream time as before (a reopened store has seen no write yet)
          store.put(new Windowed('sentinel', new Window(streamTime, streamTime)), '0');
        }
        const key = `c${Math.floor(rnd() * 12)}`;
        const t = Math.max(0, i * 3_000 - (rnd() < 0.1 ? Math.floor(rnd() * 5 * MIN) : 0));
        const found = find(key, t - gap, t + gap);
        expect(flat(store.findSessions(key, t - gap, t + gap))).toEqual(found);
        let start = t;
        let end = t;
        let agg = 1;
        for (const r of [...rows.values()].filter(
          (r) => r.key === key && r.end > streamTime - 30 * MIN && r.end >= t - gap && r.start <= t + gap,
        )) {
          start = Math.min(start, r.start);
          end = Math.max(end, r.end);
          agg += Number(r.value);
          store.remove(new Windowed(key, new Window(r.start, r.end)));
          rows.delete(`${key}@${r.start}-${r.end}`);
        }
        store.put(new Windowed(key, new Window(start, end)), String(agg));
        streamTime = Math.max(streamTime, end);
        if (end > streamTime - 30 * MIN)
          rows.set(`${key}@${start}-${end}`, { key, start, end, value: String(agg) });
        expect(store.fetchSession(key, start, end)).toBe(String(agg));
      }
      for (let k = 0; k < 12; k++)
        expect(flat(store.findSessions(`c${k}`, 0, Number.MAX_SAFE_INTEGER))).toEqual(
          find(`c${k}`, 0, Number.MAX_SAFE_INTEGER),
        );
      await store.close();
    });
  },
);
