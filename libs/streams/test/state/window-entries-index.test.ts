import { Stores } from '../../src/state';
import type { SegmentedWindowBytesStore } from '../../src/state/internals/segmented-window-store';
import { seededRandom as random } from '../helpers/seeded-random';
import { b, drain, tempDir, TestStateStoreContext } from './state-test-context';

const MIN = 60_000;
const RETENTION = 10 * MIN;

/**
 * Brute-force model of an in-memory window store that retains duplicates (a stream-stream join's
 * window store): every non-null put is a new entry (key, start, sequence); a null put is ignored
 * and does not move stream time; an entry whose start is `<= streamTime - retention` is expired.
 * One key's entries read in (start, sequence) order.
 */
class DuplicatesModel {
  private rows: Array<{ key: string; start: number; seq: number; value: string }> = [];
  private streamTime = -1;
  private seq = 0;

  put(key: string, value: string | null, start: number): void {
    if (value === null) return;
    this.streamTime = Math.max(this.streamTime, start);
    if (start <= this.streamTime - RETENTION) return;
    this.rows.push({ key, start, seq: ++this.seq, value });
  }

  fetch(key: string, from: number, to: number): Array<[number, string]> {
    return this.rows
      .filter(
        (r) => r.key === key && r.start >= from && r.start <= to && r.start > this.streamTime - RETENTION,
      )
      .sort((x, y) => x.start - y.start || x.seq - y.seq)
      .map((r) => [r.start, r.value]);
  }
}

const text = (entries: Array<{ key: number; value: Buffer }>) =>
  entries.map((e): [number, string] => [e.key, e.value.toString('latin1')]);

describe('in-memory window store with duplicates: windowsOf (the join fetch) against a model', () => {
  it('agrees on 3,000 random puts and reads, out-of-order starts, expiry and a restore', async () => {
    const tmp = tempDir();
    const rnd = random(23);
    const model = new DuplicatesModel();
    const context = new TestStateStoreContext(tmp.dir);
    const store = Stores.inMemoryWindowStore('join', RETENTION, MIN, true).get() as SegmentedWindowBytesStore;
    store.init(context, store);
    const check = (s: SegmentedWindowBytesStore, key: string, from: number, to: number) => {
      const expected = model.fetch(key, from, to);
      expect(text(s.windowsOf(b(key), from, to, false))).toEqual(expected);
      expect(text(s.windowsOf(b(key), from, to, true))).toEqual([...expected].reverse());
      // the iterator path (segments' key-ordered scans) gives the same
      expect(drain(s.fetchRange(b(key), from, to, false)).map(([t, v]) => [t, v.toString('latin1')])).toEqual(
        expected,
      );
    };
    try {
      for (let i = 0; i < 3_000; i++) {
        const now = Math.floor(i / 40) * MIN;
        // keys of different lengths share prefixes (k1, k10, k100)
        const key = `k${[1, 10, 100, 2, 20, 3][Math.floor(rnd() * 6)]}`;
        const start = Math.max(0, now - Math.floor(rnd() * 13 * MIN));
        const op = rnd();
        if (op < 0.55) {
          const value = `v${i}`;
          const written = store.put(b(key), b(value), start);
          model.put(key, value, start);
          if (written)
            context.changes.push({ storeName: 'join', key: written, value: b(value), timestamp: start });
        } else if (op < 0.6) {
          store.put(b(key), null, start);
          model.put(key, null, start);
        } else check(store, key, Math.max(0, start - 5 * MIN), start + Math.floor(rnd() * 5 * MIN));
        if (i === 100) check(store, key, 0, Number.MAX_SAFE_INTEGER); // the index built early on
      }
      for (const k of ['k1', 'k10', 'k100', 'k2', 'k20', 'k3', 'k4'])
        check(store, k, 0, Number.MAX_SAFE_INTEGER);

      // A copy restored from the changelog reads the same, and keeps up with writes after it.
      const copyContext = new TestStateStoreContext(tmp.dir);
      const copy = Stores.inMemoryWindowStore(
        'copy',
        RETENTION,
        MIN,
        true,
      ).get() as SegmentedWindowBytesStore;
      copy.init(copyContext, copy);
      // read before the restore: the index is built (empty), and the restore must not leave it so
      expect(copy.windowsOf(b('k1'), 0, Number.MAX_SAFE_INTEGER, false)).toEqual([]);
      await copyContext.registrations[0]!.restore(
        context.changes.map((c, offset) => ({ key: c.key, value: c.value, timestamp: c.timestamp, offset })),
      );
      for (const k of ['k1', 'k10', 'k100', 'k2', 'k20', 'k3']) check(copy, k, 0, Number.MAX_SAFE_INTEGER);
      const last = Math.floor(3_000 / 40) * MIN;
      for (let i = 0; i < 200; i++) {
        const start = last + i * 1_000;
        copy.put(b('k10'), b(`w${i}`), start);
      }
      // the copy's own writes after the restore: the index reads what the segments hold, in their order
      const restored = copy.windowsOf(b('k10'), last, Number.MAX_SAFE_INTEGER, false);
      expect(restored.filter((e) => e.value.toString('latin1').startsWith('w')).length).toBe(200);
      expect(text(restored)).toEqual(
        drain(copy.fetchRange(b('k10'), last, Number.MAX_SAFE_INTEGER, false)).map(([t, v]) => [
          t,
          v.toString('latin1'),
        ]),
      );
      await copy.close();
    } finally {
      await store.close();
      tmp.cleanup();
    }
  });
});
