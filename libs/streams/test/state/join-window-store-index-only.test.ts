import { Stores } from '../../src/state';
import type { Windowed } from '../../src/state/window';
import type { SegmentedWindowBytesStore } from '../../src/state/internals/segmented-window-store';
import { seededRandom as random } from '../helpers/seeded-random';
import { b, drain, tempDir, TestStateStoreContext } from './state-test-context';

const MIN = 60_000;
const RETENTION = 10 * MIN;
const KEYS = ['k1', 'k10', 'k100', 'k2', 'k20', 'k3'];
const ALL = Number.MAX_SAFE_INTEGER;

type Store = SegmentedWindowBytesStore;
const windowed = (it: Iterable<{ key: Windowed<Buffer>; value: Buffer }>) =>
  drain(it).map(([k, v]) => [
    k.key().toString('latin1'),
    k.window().start(),
    k.window().end(),
    v.toString('latin1'),
  ]);
const ranged = (it: Iterable<{ key: number; value: Buffer }>) =>
  drain(it).map(([t, v]) => [t, v.toString('latin1')]);

/** Whether the store holds its entries only in its index (segments dropped): white box. */
const indexOnly = (s: Store) => (s as unknown as { segmentsDropped: boolean }).segmentsDropped;

/** The reads other than the join's, each as a value to compare between two stores. */
const READS: Record<string, (s: Store) => unknown> = {
  fetchRange: (s) => KEYS.map((k) => ranged(s.fetchRange(b(k), 0, ALL, false))),
  'fetchRange reverse': (s) => KEYS.map((k) => ranged(s.fetchRange(b(k), 5 * MIN, 40 * MIN, true))),
  fetchKeyRange: (s) => windowed(s.fetchKeyRange(b('k1'), b('k2'), 0, ALL, false)),
  fetchAll: (s) => windowed(s.fetchAll(10 * MIN, ALL, true)),
  all: (s) => windowed(s.all()),
  fetch: (s) => KEYS.map((k) => [30, 31, 32, 33].map((m) => s.fetch(b(k), m * MIN)?.toString('latin1'))),
  segments: (s) => s.segments.segmentIds(),
  approximateNumEntries: (s) => (s.approximateNumEntries() > 0 ? 'some' : 'none'),
};

/**
 * A stream-stream join's window store (in memory, duplicates) drops its segments once its index is
 * built (the join reads only by key) and puts the entries back into them for any other read: every
 * read then gives what a store that never dropped them gives (the segments' path, as before).
 */
describe('in-memory window store with duplicates: index-only while read by key', () => {
  it.each(Object.keys(READS))(
    'reads as a store that keeps its segments when %s comes first, then through writes and a restore',
    async (first) => {
      const tmp = tempDir();
      const rnd = random(41);
      const context = new TestStateStoreContext(tmp.dir);
      const store = Stores.inMemoryWindowStore('join', RETENTION, MIN, true).get() as Store;
      // The reference is never read by key: its index is never built, so it keeps its segments.
      const ref = Stores.inMemoryWindowStore('ref', RETENTION, MIN, true).get() as Store;
      store.init(context, store);
      ref.init(new TestStateStoreContext(tmp.dir), ref);
      const compareAll = () => {
        for (const read of Object.values(READS)) expect(read(store)).toEqual(read(ref));
      };
      const step = (i: number, scans: boolean) => {
        const now = Math.floor(i / 40) * MIN;
        const key = KEYS[Math.floor(rnd() * KEYS.length)]!;
        const start = Math.max(0, now - Math.floor(rnd() * 13 * MIN));
        const op = rnd();
        if (op < 0.6) {
          const value = rnd() < 0.05 ? null : b(`v${i}`);
          const written = store.put(b(key), value, start);
          expect(written).toEqual(ref.put(b(key), value, start));
          if (written) context.changes.push({ storeName: 'join', key: written, value, timestamp: start });
        } else if (op < 0.97 || !scans) {
          // the join's read: the index is built, and the segments dropped
          const from = Math.max(0, start - 5 * MIN);
          expect(store.windowsOf(b(key), from, start + 5 * MIN, false)).toBeDefined();
        } else compareAll();
      };
      try {
        for (let i = 0; i < 1_500; i++) step(i, false);
        expect(indexOnly(store)).toBe(true);
        expect(READS[first]!(store)).toEqual(READS[first]!(ref));
        expect(indexOnly(store)).toBe(false);
        compareAll();
        for (let i = 1_500; i < 3_000; i++) step(i, true);
        compareAll();

        // A copy restored from the changelog while index-only reads as the reference, and keeps up.
        const copyContext = new TestStateStoreContext(tmp.dir);
        const copy = Stores.inMemoryWindowStore('copy', RETENTION, MIN, true).get() as Store;
        copy.init(copyContext, copy);
        copy.windowsOf(b('k1'), 0, ALL, false);
        expect(indexOnly(copy)).toBe(true);
        await copyContext.registrations[0]!.restore(
          context.changes.map((c, offset) => ({
            key: c.key,
            value: c.value,
            timestamp: c.timestamp,
            offset,
          })),
        );
        const last = Math.floor(3_000 / 40) * MIN;
        for (let i = 0; i < 100; i++) {
          copy.windowsOf(b('k10'), 0, ALL, false);
          expect(copy.put(b('k10'), b(`w${i}`), last + i * 1_000)).toBeDefined();
          ref.put(b('k10'), b(`w${i}`), last + i * 1_000);
        }
        expect(indexOnly(copy)).toBe(true);
        for (const read of Object.values(READS)) expect(read(copy)).toEqual(read(ref));
        await copy.close();
      } finally {
        await store.close();
        await ref.close();
        tmp.cleanup();
      }
    },
  );
});
