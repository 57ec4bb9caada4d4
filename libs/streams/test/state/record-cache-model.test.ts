/**
 * The record cache against a brute-force model of Kafka Streams' `ThreadCache`/`NamedCache` written
 * here (LRU order in a `Map` re-inserted on every access, dirty keys in a `Set` re-inserted on every
 * dirty write, eviction from the cache just written: the eldest entry leaves and, if dirty, is flushed
 * ahead of the cache's other dirty entries, as `NamedCache.evict`; flushed tombstones dropped): seeded random puts (dirty and clean), gets, deletes, flushes and tiny budgets
 * over several named caches, with writes from inside flush callbacks. Every flush callback's entries
 * (in order), the sizes and the eviction count must agree.
 */
import {
  CACHE_ENTRY_OVERHEAD_BYTES,
  RecordCache,
  type CacheEntry,
} from '../../src/state/internals/record-cache';
import { seededRandom as rng } from '../helpers/seeded-random';

interface ModelEntry {
  key: string;
  value: string | null;
  dirty: boolean;
  timestamp: number;
}

const sizeOf = (e: ModelEntry) =>
  Buffer.byteLength(e.key, 'latin1') +
  (e.value === null ? 0 : Buffer.byteLength(e.value)) +
  CACHE_ENTRY_OVERHEAD_BYTES;

class ModelCache {
  readonly caches = new Map<string, { lru: Map<string, ModelEntry>; dirty: Set<string>; size: number }>();
  total = 0;
  evictions = 0;
  constructor(
    readonly max: number,
    readonly onFlush: (name: string, entries: ModelEntry[]) => void,
  ) {}
  add(name: string): void {
    this.caches.set(name, { lru: new Map(), dirty: new Set(), size: 0 });
  }
  get(name: string, key: string): ModelEntry | undefined {
    const c = this.caches.get(name)!;
    const e = c.lru.get(key);
    if (e !== undefined) {
      c.lru.delete(key);
      c.lru.set(key, e);
    }
    return e;
  }
  put(name: string, e: ModelEntry): void {
    const c = this.caches.get(name)!;
    const old = c.lru.get(e.key);
    if (old !== undefined) {
      if (old.dirty && !e.dirty) throw new Error('clean over dirty');
      c.size -= sizeOf(old);
      this.total -= sizeOf(old);
      c.lru.delete(e.key);
    }
    c.lru.set(e.key, e);
    c.size += sizeOf(e);
    this.total += sizeOf(e);
    if (e.dirty) {
      c.dirty.delete(e.key);
      c.dirty.add(e.key);
    }
    // ThreadCache.maybeEvict with NamedCache.evict: the eldest leaves, then (if dirty) is flushed first.
    while (this.total > this.max) {
      const first = c.lru.entries().next();
      if (first.done) return;
      const [k, eldest] = first.value;
      c.lru.delete(k);
      c.size -= sizeOf(eldest);
      this.total -= sizeOf(eldest);
      this.evictions++;
      if (eldest.dirty) this.flush(name, eldest);
    }
  }
  /** NamedCache.flush(evicted): the evicted entry first, then the dirty keys in order. */
  flush(name: string, evicted?: ModelEntry): void {
    const c = this.caches.get(name)!;
    if (c.dirty.size === 0) return;
    const out: ModelEntry[] = [];
    if (evicted !== undefined) {
      c.dirty.delete(evicted.key);
      evicted.dirty = false;
      out.push(evicted);
    }
    for (const k of c.dirty) {
      const e = c.lru.get(k)!;
      e.dirty = false;
      out.push(e);
    }
    c.dirty.clear();
    this.onFlush(name, out);
    for (const e of out) {
      if (e.value !== null || c.lru.get(e.key) !== e) continue;
      c.lru.delete(e.key);
      c.size -= sizeOf(e);
      this.total -= sizeOf(e);
    }
  }
}

/**
 * One seeded run: `keys` keys at most `maxKeys` (a few keep every cache tiny; thousands make the
 * caches' slot arrays and hash tables grow, and evictions and deletes free and reuse slots), a budget
 * below `maxBudget`; `ranges` adds key-range reads (snapshots in key order, each key read made the
 * most recently used) checked against the model.
 */
function runSeed(seed: number, maxKeys: number, maxBudget: number, ranges: boolean): void {
  const random = rng(seed);
  const names = ['a', 'b', 'c'];
  const keys = 3 + Math.floor(random() * maxKeys);
  const max = Math.floor(random() * maxBudget);
  const gotFlushes: string[] = [];
  const wantFlushes: string[] = [];
  // A flush callback may write (a downstream store of the same thread): the same writes on both sides.
  const reentrant = { cache: 0, model: 0 };
  const cache = new RecordCache(max);
  const model = new ModelCache(max, (name, entries) => {
    wantFlushes.push(`${name}:${entries.map((e) => `${e.key}=${e.value}@${e.timestamp}`).join(',')}`);
    if (name === 'a' && reentrant.model++ % 3 === 0)
      model.put('b', {
        key: 'k0',
        value: `re${reentrant.model}`,
        timestamp: -reentrant.model,
        dirty: true,
      });
  });
  const show = (entries: readonly CacheEntry[]) =>
    entries.map(
      (e) => `${e.key.toString('latin1')}=${e.value === null ? null : e.value.toString()}@${e.timestamp}`,
    );
  // cache c keeps its keys in groups (by their first two characters), read by groupTail
  const groupOf = (k: string) => k.slice(0, 2);
  const byKey = (x: ModelEntry, y: ModelEntry) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  for (const name of names) {
    model.add(name);
    cache.addNamedCache(
      name,
      (entries) => {
        gotFlushes.push(`${name}:${show(entries).join(',')}`);
        if (name === 'a' && reentrant.cache++ % 3 === 0)
          cache.put('b', {
            key: Buffer.from('k0', 'latin1'),
            value: Buffer.from(`re${reentrant.cache}`),
            dirty: true,
            timestamp: -reentrant.cache,
            prior: undefined,
          });
      },
      name === 'c' ? groupOf : undefined,
    );
  }
  let checked = 0;
  for (let step = 0; step < 2000; step++) {
    const name = names[Math.floor(random() * names.length)];
    const key = `k${Math.floor(random() * keys)}`;
    const r = random();
    if (r < 0.55) {
      const value = random() < 0.15 ? null : 'v'.repeat(Math.floor(random() * 120)) + step;
      cache.put(name, {
        key: Buffer.from(key, 'latin1'),
        value: value === null ? null : Buffer.from(value),
        dirty: true,
        timestamp: step,
        prior: undefined,
      });
      model.put(name, { key, value, dirty: true, timestamp: step });
    } else if (r < 0.8) {
      const got = cache.get(name, Buffer.from(key, 'latin1'));
      const want = model.get(name, key);
      expect(got === undefined ? undefined : (got.value?.toString() ?? null)).toBe(want?.value);
      if (want === undefined) {
        // A read-through from the store below: a clean entry.
        const value = `stored${step}`;
        cache.put(name, {
          key: Buffer.from(key, 'latin1'),
          value: Buffer.from(value),
          dirty: false,
          timestamp: -1,
          prior: undefined,
        });
        model.put(name, { key, value, dirty: false, timestamp: -1 });
      }
    } else if (name === 'c' && r < 0.85 && (!ranges || random() < 0.5)) {
      // a group's tail (its keys from a bound on), in key order (either way), tombstones included;
      // each key read becomes the most recently used, in that order
      const group = `k${Math.floor(random() * 10)}`;
      const bound = `k${Math.floor(random() * keys)}`;
      const reverse = random() < 0.5;
      const got = show(cache.groupTail('c', group, (k) => k.toString('latin1') >= bound, reverse)).map((e) =>
        e.slice(0, e.lastIndexOf('@')),
      );
      const want = [...model.caches.get('c')!.lru.values()]
        .filter((e) => groupOf(e.key) === group && e.key >= bound)
        .sort(byKey)
        .map((e) => `${e.key}=${e.value}`);
      if (reverse) want.reverse();
      expect(got).toEqual(want);
      for (const w of want) model.get('c', w.slice(0, w.indexOf('=')));
    } else if (ranges && r < 0.85) {
      // a snapshot of a key range, in key order (either way), tombstones included; each key read
      // becomes the most recently used, in that order (Kafka Streams' cache iterator reads each
      // key through NamedCache.get)
      const bounds = [`k${Math.floor(random() * keys)}`, `k${Math.floor(random() * keys)}`].sort();
      const [from, to] = random() < 0.2 ? [undefined, undefined] : bounds;
      const reverse = random() < 0.5;
      const got = [
        ...cache.range(
          name,
          from === undefined ? undefined : Buffer.from(from, 'latin1'),
          to === undefined ? undefined : Buffer.from(to, 'latin1'),
          reverse,
        ),
      ].map((e) => `${e.key.toString('latin1')}=${e.value === null ? null : e.value.toString()}`);
      const want = [...model.caches.get(name)!.lru.values()]
        .filter((e) => (from === undefined || e.key >= from) && (to === undefined || e.key <= to))
        .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
        .map((e) => `${e.key}=${e.value}`);
      if (reverse) want.reverse();
      expect(got).toEqual(want);
      for (const w of want) model.get(name, w.slice(0, w.indexOf('=')));
    } else if (r < 0.95) {
      cache.flush(name);
      model.flush(name);
    } else {
      for (const n of names) {
        cache.flush(n);
        model.flush(n);
      }
    }
    if (gotFlushes.length !== checked || wantFlushes.length !== checked) {
      expect(gotFlushes.slice(checked)).toEqual(wantFlushes.slice(checked));
      checked = gotFlushes.length;
    }
    expect(cache.sizeBytes).toBe(model.total);
    for (const n of names) expect(cache.size(n)).toBe(model.caches.get(n)!.lru.size);
  }
  expect(cache.evictionCount).toBe(model.evictions);
  expect(gotFlushes.length).toBeGreaterThan(0);
  // every group holds exactly its cached keys, in key order
  const groups = new Set([...model.caches.get('c')!.lru.keys()].map(groupOf));
  for (let i = 0; i < 10; i++) groups.add(`k${i}`);
  for (const group of groups)
    expect(cache.groupTail('c', group, () => true, false).map((e) => e.key.toString('latin1'))).toEqual(
      [...model.caches.get('c')!.lru.values()]
        .filter((e) => groupOf(e.key) === group)
        .sort(byKey)
        .map((e) => e.key),
    );
}

describe('RecordCache: reads by range', () => {
  /** Three dirty entries of one named cache that fill its budget; then a range read and a fourth write. */
  const evictedAfter = (read: (cache: RecordCache) => void): string[] => {
    const cache = new RecordCache(3 * (2 + 2 + CACHE_ENTRY_OVERHEAD_BYTES));
    const flushed: string[] = [];
    cache.addNamedCache(
      's',
      (entries) => flushed.push(...entries.map((e) => e.key.toString('latin1'))),
      (k) => k.slice(0, 1),
    );
    const put = (k: string) =>
      cache.put('s', {
        key: Buffer.from(k, 'latin1'),
        value: Buffer.from('vv'),
        dirty: true,
        timestamp: 0,
        prior: undefined,
      });
    put('a1');
    put('a2');
    put('b1');
    read(cache);
    put('b2'); // over budget: the eldest leaves and is flushed first, then the other dirty entries
    return flushed;
  };

  it("makes each key it hands out the most recently used, as Kafka Streams' cache iterator does (NamedCache.get per key)", () => {
    expect(evictedAfter(() => undefined)).toEqual(['a1', 'a2', 'b1', 'b2']);
    // a1 was read: a2 is now the eldest
    expect(
      evictedAfter((cache) => [
        ...cache.range('s', Buffer.from('a1', 'latin1'), Buffer.from('a1', 'latin1'), false),
      ]),
    ).toEqual(['a2', 'a1', 'b1', 'b2']);
    // a reverse range over a1..a2 reads a2, then a1: b1 is now the eldest
    expect(
      evictedAfter((cache) => [
        ...cache.range('s', Buffer.from('a1', 'latin1'), Buffer.from('a2', 'latin1'), true),
      ]),
    ).toEqual(['b1', 'a1', 'a2', 'b2']);
    // only the entries handed out: a range not read leaves the order as it was
    expect(evictedAfter((cache) => void cache.range('s', undefined, undefined, false))).toEqual([
      'a1',
      'a2',
      'b1',
      'b2',
    ]);
  });

  it("a group's tail entries are made the most recently used, in the order read", () => {
    const from = (first: string) => (k: Buffer) => k.toString('latin1') >= first;
    // a1 and a2 read: b1 is now the eldest
    expect(evictedAfter((cache) => cache.groupTail('s', 'a', from('a1'), false))).toEqual([
      'b1',
      'a1',
      'a2',
      'b2',
    ]);
    // only a2 read: a1 stays the eldest
    expect(evictedAfter((cache) => cache.groupTail('s', 'a', from('a2'), true))).toEqual([
      'a1',
      'a2',
      'b1',
      'b2',
    ]);
    let read: string[] = [];
    evictedAfter(
      (cache) => (read = cache.groupTail('s', 'a', () => true, true).map((e) => e.key.toString('latin1'))),
    );
    expect(read).toEqual(['a2', 'a1']);
    evictedAfter(
      (cache) => (read = cache.groupTail('s', 'a', () => true, false).map((e) => e.key.toString('latin1'))),
    );
    expect(read).toEqual(['a1', 'a2']);
    expect(evictedAfter((cache) => void cache.groupTail('s', 'a', () => false, false))).toEqual([
      'a1',
      'a2',
      'b1',
      'b2',
    ]);
  });

  it('reads a group from its last key back to the first key the test rejects, and no further', () => {
    const tested: string[] = [];
    const fromA2 = (k: Buffer) => {
      tested.push(k.toString('latin1'));
      return k.toString('latin1') >= 'a2';
    };
    let read: string[] = [];
    // a1 is not read: it stays the eldest and is evicted first
    expect(
      evictedAfter(
        (cache) => (read = cache.groupTail('s', 'a', fromA2, false).map((e) => e.key.toString('latin1'))),
      ),
    ).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(read).toEqual(['a2']);
    expect(tested).toEqual(['a2', 'a1']);
  });

  it("a group's tail is the group's keys from the bound on, in key order (many keys, every bound, groups changing)", () => {
    const cache = new RecordCache(10 * 1024 * 1024);
    cache.addNamedCache(
      's',
      () => undefined,
      (k) => k.slice(0, 1),
    );
    const model = new Set<string>();
    const put = (k: string) => {
      model.add(k);
      cache.put('s', {
        key: Buffer.from(k, 'latin1'),
        value: null,
        dirty: false,
        timestamp: 0,
        prior: undefined,
      });
    };
    const check = () => {
      for (const g of ['g', 'h']) {
        const sorted = [...model].filter((k) => k.startsWith(g)).sort();
        for (let cut = 0; cut <= sorted.length; cut++) {
          const bound = cut === sorted.length ? `${g}~` : sorted[cut]!;
          const inTail = (k: Buffer) => k.toString('latin1') >= bound;
          const expected = sorted.filter((k) => k >= bound);
          const names = (reverse: boolean) =>
            cache.groupTail('s', g, inTail, reverse).map((e) => e.key.toString('latin1'));
          expect(names(false)).toEqual(expected);
          expect(names(true)).toEqual([...expected].reverse());
        }
      }
    };
    for (let i = 0; i < 40; i++) put(`g${String(1000 + ((i * 17) % 40))}`);
    for (let i = 0; i < 10; i++) put(`h${String(1000 + ((i * 7) % 10))}`);
    check();
    // entries leave (a flushed tombstone leaves the cache): the groups follow
    cache.put('s', {
      key: Buffer.from('g1003', 'latin1'),
      value: null,
      dirty: true,
      timestamp: 0,
      prior: undefined,
    });
    cache.put('s', {
      key: Buffer.from('h1009', 'latin1'),
      value: null,
      dirty: true,
      timestamp: 0,
      prior: undefined,
    });
    cache.flush('s');
    model.delete('g1003');
    model.delete('h1009');
    check();
    expect(cache.groupTail('s', 'x', () => true, false)).toEqual([]);
  });
});

describe('RecordCache against a brute-force ThreadCache model', () => {
  it.each(Array.from({ length: 16 }, (_, i) => i + 1))('seed %i', (seed) => runSeed(seed, 30, 2000, false));
  it.each(Array.from({ length: 8 }, (_, i) => 100 + i))(
    'seed %i: thousands of keys (slots grow, are freed and reused), key ranges',
    (seed) => runSeed(seed, 3000, 400_000, true),
  );
});
