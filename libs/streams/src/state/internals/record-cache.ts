import BTree from 'sorted-btree';
import type { StateStoreContext } from '../../processor/state-store';
import type { Headers } from '../../serialization/serde';
import { compareKeyStrings, keyString } from './bytes';

/** Bytes counted for an entry besides its key and value (object headers, map slots). */
export const CACHE_ENTRY_OVERHEAD_BYTES = 64;

/** Default total size of a task's record caches: Kafka Streams' `cache.max.bytes.buffering` (10 MB). */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * One cached record as the cache hands it out (a flushed entry, a range's or a lookup's answer): the
 * key's value (`null` = deleted) at that moment and whether it still had to be flushed. The cache
 * keeps its records in slots ({@link NamedCache}), not in these objects: an entry handed out is a
 * snapshot that later writes do not change.
 */
export interface CacheEntry {
  readonly key: Buffer;
  readonly value: Buffer | null;
  dirty: boolean;
  /** Timestamp of the record that wrote the value; used for the changelog and downstream. */
  readonly timestamp: number;
  /**
   * Headers of the record that wrote the value (Kafka Streams' `LRUCacheEntry` keeps the writing
   * record's context), forwarded with it when it leaves the cache; `undefined` when that record had
   * none, and for clean entries (never forwarded). The record's own object, not a copy.
   */
  readonly headers?: Headers | undefined;
  /**
   * While the entry is dirty: the key's value in the store below when known (`null`: the store below
   * has none), `undefined` when not known. A dirty write that replaces a clean entry takes the clean
   * value (a clean entry holds what the store below holds), one that replaces a dirty entry takes
   * that entry's; so a flush can hand the store's old value on without reading it again.
   */
  prior: Buffer | null | undefined;
  /**
   * In an entry a cache with groups hands out (a flushed or read entry), the key's group
   * ({@link CacheGroupOf}); `undefined` otherwise.
   */
  readonly group?: string | undefined;
}

/**
 * Receives the dirty entries of a named cache, in the order they were last written; on an eviction,
 * the evicted entry (no longer in the cache) comes first (Kafka Streams' `NamedCache.flush(evicted)`).
 */
export type CacheFlushCallback = (dirty: readonly CacheEntry[]) => void;

/**
 * The group of a cache key string (e.g. a session cache key's record key): a named cache created
 * with one can list a group's entries ({@link RecordCache.group}).
 */
export type CacheGroupOf = (key: string) => string;

/** Interactive-query reads running now (see {@link readAsQuery}). */
let queryReads = 0;

/**
 * Runs `read`, a synchronous read of a task's stores for an interactive query: a caching store's
 * lookup that finds a key only in the store below does not bring it into the record cache. Kafka
 * Streams' caching stores cache such a row only on the stream thread ("we don't want other threads
 * to trigger an eviction/flush"): a query must not make the cache evict and so write down and
 * forward a cached update early, changing what the application outputs. Lookups that hit the cache
 * still make the key the most recently used, as Kafka Streams' do from any thread.
 */
export function readAsQuery<T>(read: () => T): T {
  queryReads++;
  try {
    return read();
  } finally {
    queryReads--;
  }
}

/** True while {@link readAsQuery} runs a read. */
export function isQueryRead(): boolean {
  return queryReads > 0;
}

/** A group ({@link CacheGroupOf}): its name and the slots of its keys, in key order. */
interface CacheGroup {
  readonly name: string;
  readonly slots: number[];
}

/** No slot (end of a list, not found). */
const NONE = -1;

/** No entries (a lookup that found none). */
const NO_ENTRIES: readonly CacheEntry[] = Object.freeze([]);

/** Murmur3's finalizer: spreads a 32-bit hash over all its bits (the table uses the low ones). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** FNV-1a over a key's bytes, mixed. */
function hashBytes(b: Uint8Array): number {
  let h = 0x811c9dc5 ^ b.length;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return mix(h);
}

/** Whether two keys have the same bytes. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a === b) return true;
  const n = a.length;
  if (n !== b.length) return false;
  if (n > 32) return a.equals(b);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A slot's record in {@link NamedCache.ints}: these int32 fields, then (ints 8-9) its timestamp as a
 * float64 ({@link NamedCache.nums}). One record per slot, so a lookup, a write or an eviction reads
 * and writes one slot's numbers in one or two cache lines, not one line in each of eight arrays.
 */
const HASH = 0;
/** LRU order, eldest first; `NEXT` also links the free slots. */
const PREV = 1;
const NEXT = 2;
/** Dirty order (Kafka Streams' `dirtyKeys`, a `LinkedHashSet`): a dirty write moves its key to the end. */
const DIRTY_PREV = 3;
const DIRTY_NEXT = 4;
/** The bytes the entry counts against the budget (key, value and {@link CACHE_ENTRY_OVERHEAD_BYTES}). */
const SIZE = 5;
/** 1 while the entry is dirty. */
const DIRTY = 6;
/**
 * The write sequence number of the slot's current value (a flushed tombstone is removed only if
 * unchanged), wrapped to 32 bits: two values would compare equal only 2^32 writes apart, more than a
 * flush callback ever makes.
 */
const WRITE = 7;
/** Int32s per record (8 fields, then the timestamp's float64). */
const INTS = 10;
/** Float64s per record; the timestamp is the last. */
const NUMS = 5;
const TIMESTAMP = 4;

/**
 * A slot's objects in {@link NamedCache.objs}: key, value, the store's value below while dirty (see
 * `CacheEntry.prior`) and the writing record's headers while dirty (see `CacheEntry.headers`;
 * `undefined` otherwise), side by side.
 */
const KEY = 0;
const VALUE = 1;
const PRIOR = 2;
const HEADERS = 3;
const OBJS = 4;

/**
 * The cache of one store (Kafka Streams' `NamedCache`), laid out in slots: a record is a slot index
 * into two arrays, one of objects (key, value, the store's value below, headers; four side by side)
 * and one of numbers (hash, LRU links, dirty links, size, dirty flag, write sequence, timestamp; one
 * record of 40 bytes), found through an open-addressing hash table of slot numbers, each beside its
 * key's hash (a probe that meets another key rejects it without reading that key's slot). A cached
 * record costs its key and value Buffers and no other object (no key string, map entry, list node or
 * entry object), which keeps the garbage collector's work for tens of thousands of long-lived entries
 * small. Freed slots are reused. Key order (for range merges) and groups are kept only for caches
 * that use them.
 */
class NamedCache {
  /** The slots' objects, {@link OBJS} per slot. */
  objs: unknown[] = [];
  /** The slots' numbers, {@link INTS} int32s per slot; {@link nums} is the same memory. */
  ints: Int32Array;
  /** The slots' numbers as float64s, {@link NUMS} per slot (the timestamp). */
  nums: Float64Array;
  /** Open addressing, linear probing: pairs of (slot + 1, 0 = empty; the key's hash). */
  table: Int32Array;
  head = NONE;
  tail = NONE;
  dirtyHead = NONE;
  dirtyTail = NONE;
  free = NONE;
  /** Slots handed out so far (the rest of the arrays' capacity is untouched). */
  used = 0;
  /** Slots the number records have room for. */
  capacity: number;
  count = 0;
  dirtyCount = 0;
  /**
   * Key order for range scans, key string to slot: built from the entries at the first range over
   * this cache, then kept up to date (a cache never scanned, as a table's or an aggregation's usually
   * is, pays nothing for it).
   */
  sorted: BTree<string, number> | undefined = undefined;
  /**
   * The keys of each group ({@link CacheGroupOf}) in key order with their slots, kept as entries come
   * and go, when the store asked for groups: its range lookups within one group read only that
   * group's entries, by slot (a slot stays an entry's while it is cached), not an index of the whole
   * cache, and hash none of their keys.
   */
  readonly groups: Map<string, CacheGroup> | undefined;
  /** With groups: the group of each slot's key (so an entry leaves its group without a lookup). */
  slotGroups: Array<CacheGroup | undefined> = [];
  sizeBytes = 0;

  constructor(
    readonly name: string,
    readonly onFlush: CacheFlushCallback,
    readonly groupOf: CacheGroupOf | undefined,
  ) {
    this.groups = groupOf === undefined ? undefined : new Map();
    const n = 16;
    this.capacity = n;
    const buffer = new ArrayBuffer(n * NUMS * 8);
    this.ints = new Int32Array(buffer);
    this.nums = new Float64Array(buffer);
    // table slots: twice the capacity (a load of at most 1/2), two int32s each
    this.table = new Int32Array(4 * n);
  }

  /** The slot of `key` (with hash `h`), or {@link NONE}. */
  find(key: Buffer, h: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const t = table[2 * i]!;
      if (t === 0) return NONE;
      if (table[2 * i + 1] === h && sameBytes(this.objs[OBJS * (t - 1) + KEY] as Buffer, key)) return t - 1;
    }
  }

  keyAt(s: number): Buffer {
    return this.objs[OBJS * s + KEY] as Buffer;
  }

  valueAt(s: number): Buffer | null {
    return this.objs[OBJS * s + VALUE] as Buffer | null;
  }

  priorAt(s: number): Buffer | null | undefined {
    return this.objs[OBJS * s + PRIOR] as Buffer | null | undefined;
  }

  isDirty(s: number): boolean {
    return this.ints[INTS * s + DIRTY] === 1;
  }

  /** The bytes slot `s` counts against the budget. */
  slotSize(s: number): number {
    return this.ints[INTS * s + SIZE]!;
  }

  /** The record in slot `s` as an entry (a snapshot). */
  entryAt(s: number): CacheEntry {
    const objs = this.objs;
    const o = OBJS * s;
    return {
      key: objs[o + KEY] as Buffer,
      value: objs[o + VALUE] as Buffer | null,
      dirty: this.ints[INTS * s + DIRTY] === 1,
      timestamp: this.nums[NUMS * s + TIMESTAMP]!,
      prior: objs[o + PRIOR] as Buffer | null | undefined,
      headers: objs[o + HEADERS] as Headers | undefined,
      group: this.groups === undefined ? undefined : this.slotGroups[s]?.name,
    };
  }

  /** Makes slot `s` the most recently used. */
  touch(s: number): void {
    if (this.tail === s) return;
    this.unlinkLru(s);
    this.appendLru(s);
  }

  /**
   * Replaces the value of cached slot `s` (sizes are the caller's), making it the most recently used.
   */
  replace(
    s: number,
    value: Buffer | null,
    prior: Buffer | null | undefined,
    headers: Headers | undefined,
    timestamp: number,
    write: number,
    size: number,
  ): void {
    const objs = this.objs;
    const o = OBJS * s;
    objs[o + VALUE] = value;
    objs[o + PRIOR] = prior;
    objs[o + HEADERS] = headers;
    const r = INTS * s;
    this.ints[r + SIZE] = size;
    this.ints[r + WRITE] = write;
    this.nums[NUMS * s + TIMESTAMP] = timestamp;
    this.touch(s);
  }

  /**
   * Adds a key that is not cached, as the most recently used entry; returns its slot. `group`: the
   * key's group if the caller knows it (else `groupOf` of its key string).
   */
  add(
    key: Buffer,
    h: number,
    value: Buffer | null,
    prior: Buffer | null | undefined,
    headers: Headers | undefined,
    timestamp: number,
    write: number,
    size: number,
    group: string | undefined,
  ): number {
    // at most half the table's slots in use (table.length / 2 slots): else twice the slots
    if ((this.count + 1) * 4 > this.table.length) this.rehash(this.table.length);
    let s = this.free;
    if (s !== NONE) this.free = this.ints[INTS * s + NEXT]!;
    else {
      s = this.used++;
      if (s === this.capacity) this.grow(2 * s);
      this.objs.push(undefined, null, undefined, undefined);
      if (this.groups !== undefined) this.slotGroups.push(undefined);
    }
    const objs = this.objs;
    const o = OBJS * s;
    objs[o + KEY] = key;
    objs[o + VALUE] = value;
    objs[o + PRIOR] = prior;
    objs[o + HEADERS] = headers;
    const ints = this.ints;
    const r = INTS * s;
    ints[r + HASH] = h;
    ints[r + SIZE] = size;
    ints[r + DIRTY] = 0;
    ints[r + WRITE] = write;
    this.nums[NUMS * s + TIMESTAMP] = timestamp;
    this.count++;
    this.appendLru(s);
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let i = h & mask;
    while (table[2 * i] !== 0) i = (i + 1) & mask;
    table[2 * i] = s + 1;
    table[2 * i + 1] = h;
    const sorted = this.sorted;
    let k: string | undefined;
    if (sorted !== undefined) sorted.set((k = keyString(key)), s);
    if (this.groups !== undefined) this.joinGroup(key, s, group ?? this.groupOf!(k ?? keyString(key)));
    return s;
  }

  /** Removes slot `s` from the cache (LRU and dirty order, table, index, group) and frees it. */
  remove(s: number): void {
    const objs = this.objs;
    const o = OBJS * s;
    this.sorted?.delete(keyString(objs[o + KEY] as Buffer));
    if (this.groups !== undefined) this.leaveGroup(s);
    this.unlinkLru(s);
    const ints = this.ints;
    const r = INTS * s;
    if (ints[r + DIRTY] === 1) {
      this.unlinkDirty(s);
      ints[r + DIRTY] = 0;
      this.dirtyCount--;
    }
    // Backward-shift deletion: later entries of the probe run move up, so no tombstones build up.
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let i = ints[r + HASH]! & mask;
    while (table[2 * i] !== s + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const t = table[2 * j]!;
      if (t === 0) break;
      const h = table[2 * j + 1]!;
      const home = h & mask;
      // t may move to i unless its home lies cyclically in (i, j]
      const stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!stays) {
        table[2 * i] = t;
        table[2 * i + 1] = h;
        i = j;
      }
    }
    table[2 * i] = 0;
    objs[o + KEY] = undefined;
    objs[o + VALUE] = null;
    objs[o + PRIOR] = undefined;
    objs[o + HEADERS] = undefined;
    ints[r + NEXT] = this.free;
    this.free = s;
    this.count--;
  }

  /** Puts slot `s` at the end of the dirty order (moving it there if it is dirty already). */
  markDirty(s: number): void {
    const ints = this.ints;
    const r = INTS * s;
    if (ints[r + DIRTY] === 1) {
      if (this.dirtyTail === s) return;
      this.unlinkDirty(s);
    } else {
      ints[r + DIRTY] = 1;
      this.dirtyCount++;
    }
    ints[r + DIRTY_PREV] = this.dirtyTail;
    ints[r + DIRTY_NEXT] = NONE;
    if (this.dirtyTail !== NONE) ints[INTS * this.dirtyTail + DIRTY_NEXT] = s;
    else this.dirtyHead = s;
    this.dirtyTail = s;
  }

  /** The slot after `s` in the dirty order, or {@link NONE}. */
  dirtyAfter(s: number): number {
    return this.ints[INTS * s + DIRTY_NEXT]!;
  }

  /**
   * Marks slot `s` clean as its flush takes it (its prior value and headers are dropped); returns its
   * write sequence number.
   */
  cleaned(s: number): number {
    const o = OBJS * s;
    this.objs[o + PRIOR] = undefined;
    this.objs[o + HEADERS] = undefined;
    const r = INTS * s;
    this.ints[r + DIRTY] = 0;
    return this.ints[r + WRITE]!;
  }

  /** The write sequence number of slot `s`'s value. */
  writeAt(s: number): number {
    return this.ints[INTS * s + WRITE]!;
  }

  private unlinkDirty(s: number): void {
    const ints = this.ints;
    const p = ints[INTS * s + DIRTY_PREV]!;
    const n = ints[INTS * s + DIRTY_NEXT]!;
    if (p !== NONE) ints[INTS * p + DIRTY_NEXT] = n;
    else this.dirtyHead = n;
    if (n !== NONE) ints[INTS * n + DIRTY_PREV] = p;
    else this.dirtyTail = p;
  }

  private appendLru(s: number): void {
    const ints = this.ints;
    ints[INTS * s + PREV] = this.tail;
    ints[INTS * s + NEXT] = NONE;
    if (this.tail !== NONE) ints[INTS * this.tail + NEXT] = s;
    else this.head = s;
    this.tail = s;
  }

  private unlinkLru(s: number): void {
    const ints = this.ints;
    const p = ints[INTS * s + PREV]!;
    const n = ints[INTS * s + NEXT]!;
    if (p !== NONE) ints[INTS * p + NEXT] = n;
    else this.head = n;
    if (n !== NONE) ints[INTS * n + PREV] = p;
    else this.tail = p;
  }

  /** The slot after `s` in LRU order (eldest first), or {@link NONE}. */
  lruAfter(s: number): number {
    return this.ints[INTS * s + NEXT]!;
  }

  private grow(n: number): void {
    const buffer = new ArrayBuffer(n * NUMS * 8);
    const ints = new Int32Array(buffer);
    ints.set(this.ints);
    this.ints = ints;
    this.nums = new Float64Array(buffer);
    this.capacity = n;
  }

  /** Rebuilds the table with `slots` slots (a power of two). */
  private rehash(slots: number): void {
    const table = new Int32Array(2 * slots);
    const mask = slots - 1;
    const ints = this.ints;
    for (let s = this.head; s !== NONE; s = ints[INTS * s + NEXT]!) {
      const h = ints[INTS * s + HASH]!;
      let i = h & mask;
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = s + 1;
      table[2 * i + 1] = h;
    }
    this.table = table;
  }

  /**
   * Adds a key that just entered the cache (in slot `s`) to its group `g`, in key order (usually at
   * the end), comparing its bytes with the group's keys (no key string).
   */
  private joinGroup(key: Buffer, s: number, g: string): void {
    const groups = this.groups!;
    let group = groups.get(g);
    if (group === undefined) groups.set(g, (group = { name: g, slots: [s] }));
    else {
      const slots = group.slots;
      let lo = slots.length;
      if (Buffer.compare(this.keyAt(slots[lo - 1]!), key) > 0) {
        lo = 0;
        let hi = slots.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (Buffer.compare(this.keyAt(slots[mid]!), key) < 0) lo = mid + 1;
          else hi = mid;
        }
      }
      if (lo === slots.length) slots.push(s);
      else slots.splice(lo, 0, s);
    }
    this.slotGroups[s] = group;
  }

  /** Removes the key of slot `s`, leaving the cache, from its group (found by its slot: no key string). */
  private leaveGroup(s: number): void {
    const group = this.slotGroups[s];
    if (group === undefined) return;
    this.slotGroups[s] = undefined;
    const slots = group.slots;
    // usually the group's first (eldest) or last key: its slot is found from both ends
    let i = 0;
    let j = slots.length - 1;
    while (i <= j && slots[i] !== s && slots[j] !== s) {
      i++;
      j--;
    }
    if (i > j) return;
    const at = slots[i] === s ? i : j;
    if (slots.length === 1) this.groups!.delete(group.name);
    else slots.splice(at, 1);
  }

  /** The key index, built now if no range has needed it yet. */
  index(): BTree<string, number> {
    if (this.sorted === undefined) {
      const entries: Array<[string, number]> = [];
      for (let s = this.head; s !== NONE; s = this.lruAfter(s)) entries.push([keyString(this.keyAt(s)), s]);
      entries.sort((a, b) => compareKeyStrings(a[0], b[0]));
      this.sorted = new BTree<string, number>(entries, compareKeyStrings);
    }
    return this.sorted;
  }
}

/**
 * A stream thread's record cache (Kafka Streams' `ThreadCache` with its `NamedCache`s): one named
 * cache per caching store of each of the thread's tasks, all bounded together by `maxBytes`. Writes to the same key de-duplicate; dirty
 * entries reach the store below (and the flush listener) on `flush` (commit) or when the cache
 * must evict: the evicted entry leaves the cache and, if dirty, is flushed ahead of its named cache's
 * other dirty entries (Kafka Streams' `NamedCache.evict`).
 */
export class RecordCache {
  private static readonly perTask = new WeakMap<object, RecordCache>();
  private readonly caches = new Map<string, NamedCache>();
  private totalBytes = 0;
  /** The last key looked up or written and its hash (see {@link hashOf}). */
  private lastKey: Buffer | undefined;
  private lastHash = 0;
  /** Writes so far (each value's write sequence number). */
  private writeCount = 0;
  private evictions = 0;

  constructor(readonly maxBytes: number = DEFAULT_CACHE_MAX_BYTES) {}

  /**
   * The record cache of a context's `recordCacheOwner` (the stream thread: one cache shared by all its
   * tasks' caching stores, bounded by the thread's `cacheMaxBytes`, as Kafka Streams' `ThreadCache`),
   * or without one the task's own, keyed by the context's `taskId` object (the runtime gives every
   * store of a task the same one, even when it builds a context per store).
   */
  static forContext(context: StateStoreContext): RecordCache {
    const owner: object =
      context.recordCacheOwner ??
      (typeof context.taskId === 'object' && context.taskId !== null ? context.taskId : context);
    let cache = RecordCache.perTask.get(owner);
    if (cache === undefined) {
      const max =
        Number.isFinite(context.cacheMaxBytes) && context.cacheMaxBytes >= 0
          ? context.cacheMaxBytes
          : DEFAULT_CACHE_MAX_BYTES;
      cache = new RecordCache(max);
      RecordCache.perTask.set(owner, cache);
    }
    return cache;
  }

  /** Bytes currently held across all named caches. */
  get sizeBytes(): number {
    return this.totalBytes;
  }

  /** Entries evicted so far. */
  get evictionCount(): number {
    return this.evictions;
  }

  /** Number of entries in a named cache. */
  size(name: string): number {
    return this.caches.get(name)?.count ?? 0;
  }

  /**
   * Creates the named cache of a store; `onFlush` receives its dirty entries; with `groupOf`, the
   * cache keeps its keys by group too ({@link groupTail}). A named cache left by an earlier incarnation
   * of the same task on this thread (a store that was never closed) is dropped.
   */
  addNamedCache(name: string, onFlush: CacheFlushCallback, groupOf?: CacheGroupOf): void {
    this.removeNamedCache(name);
    this.caches.set(name, new NamedCache(name, onFlush, groupOf));
  }

  /**
   * The entries of group `group` (of the named cache's `groupOf`) whose keys `inTail` accepts, in
   * key order (descending if `reverse`), tombstones included, each made the most recently used in
   * that order, as a range read makes them. `inTail` must accept a tail of the group's keys in key
   * order (rejecting a key, it rejects every key before it): the group is read from its last key
   * back to the first key rejected, so a session lookup near stream time reads only the key's latest
   * sessions, however many older ones are still cached. Empty for a cache created without groups.
   */
  groupTail(
    name: string,
    group: string,
    inTail: (key: Buffer) => boolean,
    reverse: boolean,
  ): readonly CacheEntry[] {
    const c = this.cache(name);
    const members = c.groups?.get(group);
    if (members === undefined) return NO_ENTRIES;
    const all = members.slots;
    let first = all.length;
    while (first > 0 && inTail(c.keyAt(all[first - 1]!))) first--;
    const n = all.length - first;
    if (n === 0) return NO_ENTRIES;
    const out = new Array<CacheEntry>(n);
    for (let i = 0; i < n; i++) {
      const s = all[reverse ? all.length - 1 - i : first + i]!;
      out[i] = c.entryAt(s);
      c.touch(s);
    }
    return out;
  }

  /** Drops a named cache without flushing it. */
  removeNamedCache(name: string): void {
    const c = this.caches.get(name);
    if (c === undefined) return;
    this.totalBytes -= c.sizeBytes;
    this.caches.delete(name);
  }

  /** The cached entry of `key` (a snapshot), made the most recently used; `undefined` if not cached. */
  get(name: string, key: Buffer): CacheEntry | undefined {
    const c = this.cache(name);
    const s = c.find(key, this.hashOf(key));
    if (s === NONE) return undefined;
    c.touch(s);
    return c.entryAt(s);
  }

  /**
   * The cached value of `key` (`null`: a cached delete), made the most recently used; `undefined` if
   * not cached. {@link get} without the entry object.
   */
  lookup(name: string, key: Buffer): Buffer | null | undefined {
    const c = this.cache(name);
    const s = c.find(key, this.hashOf(key));
    if (s === NONE) return undefined;
    c.touch(s);
    return c.valueAt(s);
  }

  /**
   * Caches `entry` as the key's latest value, the most recently used; a dirty entry goes to the end of
   * the dirty order. Then evicts from this named cache while the thread's caches are over budget.
   * The entry object is not kept.
   */
  put(name: string, entry: CacheEntry): void {
    this.write(
      name,
      entry.key,
      entry.value,
      entry.dirty,
      entry.timestamp,
      entry.prior,
      entry.headers,
      entry.group,
    );
  }

  /**
   * {@link put} of a dirty entry given by its parts (a caching layer's write), without an entry
   * object: `prior` and `headers` as `CacheEntry`'s; `group`, the key's group if the caller knows
   * it (a cache with groups makes it from the key otherwise).
   */
  putDirty(
    name: string,
    key: Buffer,
    value: Buffer | null,
    timestamp: number,
    prior: Buffer | null | undefined,
    headers: Headers | undefined,
    group?: string,
  ): void {
    this.write(name, key, value, true, timestamp, prior, headers, group);
  }

  private write(
    name: string,
    key: Buffer,
    value: Buffer | null,
    dirty: boolean,
    timestamp: number,
    prior: Buffer | null | undefined,
    headers: Headers | undefined,
    group: string | undefined,
  ): void {
    const c = this.cache(name);
    const h = this.hashOf(key);
    let s = c.find(key, h);
    const size = key.length + (value === null ? 0 : value.length) + CACHE_ENTRY_OVERHEAD_BYTES;
    if (s === NONE && c.count === 0 && this.totalBytes + size > this.maxBytes) {
      // An entry that does not fit into an empty cache (the thread's budget is held by other caches,
      // e.g. an aggregation's behind a large cached table): added, it would be the eldest and evicted
      // at once (Kafka Streams' `ThreadCache.put` then `maybeEvict`), so it is evicted without being
      // added: counted, and flushed alone if dirty. Then eviction goes on as after any put.
      this.evictions++;
      if (dirty) {
        this.flushNamed(c, { key, value, dirty, timestamp, prior, headers, group });
        this.maybeEvict(c);
      }
      return;
    }
    const write = ++this.writeCount;
    if (s !== NONE) {
      if (c.isDirty(s)) {
        if (!dirty) throw new Error(`record cache ${name}: a clean write would hide an unflushed one`);
        prior = c.priorAt(s); // replaced: the key's new value is flushed in its place
      } else if (dirty) prior = c.valueAt(s);
      this.resize(c, -c.slotSize(s));
      c.replace(s, value, prior, headers, timestamp, write, size);
    } else s = c.add(key, h, value, prior, headers, timestamp, write, size, group);
    this.resize(c, size);
    if (dirty) c.markDirty(s);
    this.maybeEvict(c);
  }

  /**
   * Sends every dirty entry of a named cache to its flush callback, then marks them clean; flushed
   * tombstones then leave the cache (as Kafka Streams' `NamedCache.flush`: the store below has the
   * delete now). Kept, they would pile up (a session store writes one per merged session) and every
   * range over their keys would walk them. A key written again during the flush stays.
   */
  flush(name: string): void {
    const c = this.caches.get(name);
    if (c === undefined || c.dirtyCount === 0) return;
    this.flushNamed(c, undefined);
  }

  /**
   * Flushes a named cache's dirty entries in the order they were written; `evicted`, a dirty entry
   * just taken out of the cache, goes first (Kafka Streams' `NamedCache.flush(evicted)`). The
   * callback gets snapshots (Kafka Streams' `DirtyEntry`s): its own writes to the cache do not show.
   */
  private flushNamed(c: NamedCache, evicted: CacheEntry | undefined): void {
    const dirty: CacheEntry[] = [];
    if (evicted !== undefined) {
      evicted.dirty = false; // it has left the cache
      dirty.push(evicted);
    }
    let deleted: number[] | undefined;
    for (let s = c.dirtyHead; s !== NONE; s = c.dirtyAfter(s)) {
      const e = c.entryAt(s);
      e.dirty = false;
      dirty.push(e);
      const write = c.cleaned(s);
      if (e.value === null) (deleted ??= []).push(s, write);
    }
    c.dirtyHead = c.dirtyTail = NONE;
    c.dirtyCount = 0;
    c.onFlush(dirty);
    if (deleted === undefined) return;
    for (let i = 0; i < deleted.length; i += 2) {
      const s = deleted[i]!;
      // still the flushed delete (not rewritten, evicted or reused for another key meanwhile)
      if (c.keyAt(s) === undefined || c.writeAt(s) !== deleted[i + 1]) continue;
      this.resize(c, -c.slotSize(s));
      c.remove(s);
    }
  }

  /**
   * A snapshot of a named cache's entries with keys in `[from, to]` (open bounds if `undefined`),
   * in key order (descending if `reverse`), tombstones included. The entries are copied out of the
   * key index at the call (Kafka Streams' `NamedCache.keyRange` copies the keys too): later writes do
   * not show, and the index is not cloned (a clone makes every later write copy the tree's path).
   * Each entry the iterator hands out is made the most recently used (if still cached), as Kafka
   * Streams' cache iterator reads each key through `NamedCache.get`: what a range read stays cached
   * longest, which decides what an eviction flushes next.
   */
  range(
    name: string,
    from: Buffer | undefined,
    to: Buffer | undefined,
    reverse: boolean,
  ): IterableIterator<CacheEntry> {
    const c = this.cache(name);
    const low = from === undefined ? undefined : keyString(from);
    const high = to === undefined ? undefined : keyString(to);
    const out: CacheEntry[] = [];
    const slots: number[] = [];
    const add = (slot: number) => {
      out.push(c.entryAt(slot));
      slots.push(slot);
    };
    if (low !== undefined && high !== undefined) {
      if (low <= high) c.index().forRange(low, high, true, (_k, slot) => add(slot));
    } else {
      for (const [k, slot] of c.index().entries(low)) {
        if (high !== undefined && k > high) break;
        add(slot);
      }
    }
    if (reverse) {
      out.reverse();
      slots.reverse();
    }
    let i = 0;
    const it: IterableIterator<CacheEntry> = {
      next: () => {
        if (i >= out.length) return { done: true, value: undefined };
        const e = out[i]!;
        const slot = slots[i++]!;
        // The key's slot now (the entry may have left the cache, or come back in another slot).
        const s = c.keyAt(slot) === e.key ? slot : c.find(e.key, hashBytes(e.key));
        if (s !== NONE) c.touch(s);
        return { done: false, value: e };
      },
      [Symbol.iterator]: () => it,
    };
    return it;
  }

  /**
   * The hash of a key; the same Buffer as the last call's gives the same hash (a caching layer looks a
   * key up and then writes it: hashed once). Cached keys never change, so a Buffer's hash stays right.
   */
  private hashOf(key: Buffer): number {
    if (key === this.lastKey) return this.lastHash;
    const h = hashBytes(key);
    this.lastKey = key;
    this.lastHash = h;
    return h;
  }

  private cache(name: string): NamedCache {
    const c = this.caches.get(name);
    if (c === undefined) throw new Error(`record cache ${name} does not exist`);
    return c;
  }

  private resize(c: NamedCache, delta: number): void {
    c.sizeBytes += delta;
    this.totalBytes += delta;
  }

  /**
   * Kafka Streams' `ThreadCache.maybeEvict` with `NamedCache.evict`: while the thread's caches are over
   * budget, the eldest entry of the cache just written leaves it (another cache's growth is not ours to
   * undo); a dirty one is then flushed, first, with all the cache's other dirty entries.
   */
  private maybeEvict(c: NamedCache): void {
    while (this.totalBytes > this.maxBytes) {
      const s = c.head;
      if (s === NONE) return;
      const e = c.isDirty(s) ? c.entryAt(s) : undefined;
      this.resize(c, -c.slotSize(s));
      c.remove(s);
      this.evictions++;
      if (e !== undefined) this.flushNamed(c, e);
    }
  }
}
