import BTree from 'sorted-btree';
import type { StateStoreContext } from '../../processor/state-store';
import { compareKeyStrings, keyString } from './bytes';
import { LruMap } from './lru-map';

/** Bytes counted for an entry besides its key and value (object headers, map slots). */
export const CACHE_ENTRY_OVERHEAD_BYTES = 64;

/** Default total size of a task's record caches: Kafka Streams' `cache.max.bytes.buffering` (10 MB). */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * One cached record: the latest value of a key (`null` = deleted) and whether it still has to be flushed.
 * Key and value never change once cached (range snapshots share entries); only `dirty` is cleared by a flush.
 */
export interface CacheEntry {
  readonly key: Buffer;
  readonly value: Buffer | null;
  dirty: boolean;
  /** Timestamp of the record that wrote the value; used for the changelog and downstream. */
  readonly timestamp: number;
  /**
   * While the entry is dirty: the key's value in the store below when known (`null`: the store below
   * has none), `undefined` when not known. A dirty write that replaces a clean entry takes the clean
   * value (a clean entry holds what the store below holds), one that replaces a dirty entry takes
   * that entry's; so a flush can hand the store's old value on without reading it again.
   */
  prior: Buffer | null | undefined;
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

function entrySize(e: CacheEntry): number {
  return e.key.length + (e.value === null ? 0 : e.value.length) + CACHE_ENTRY_OVERHEAD_BYTES;
}

/** The first index of the sorted `keys` whose key is not below `k` (`keys.length` if none). */
function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The cache of one store: LRU order, key order (for range merges) and dirty order. */
class NamedCache {
  readonly lru = new LruMap<string, CacheEntry>();
  /**
   * Dirty order (Kafka Streams' `dirtyKeys`, a `LinkedHashSet`): every dirty write appends its entry;
   * a rewrite of a dirty key clears the `dirty` flag of the entry it replaces, so the key's live entry
   * is the last one, and a flush takes the entries still dirty in this order (no hash lookup per
   * write, as a set of keys would need two). Compacted when replaced entries pile up.
   */
  dirtyLog: CacheEntry[] = [];
  /** Keys of {@link dirtyLog}'s entries, at the same positions. */
  dirtyLogKeys: string[] = [];
  /** Entries of {@link dirtyLog} still dirty (the dirty keys). */
  dirtyCount = 0;
  /**
   * Key order for range scans: built from the entries at the first range over this cache, then kept
   * up to date (a cache never scanned, as a table's or an aggregation's usually is, pays nothing for it).
   */
  sorted: BTree<string, CacheEntry> | undefined = undefined;
  /**
   * The keys of each group ({@link CacheGroupOf}) in key order, kept as entries come and go, when the
   * store asked for groups: its range lookups within one group search only that group's keys (a few),
   * not an index of the whole cache.
   */
  readonly groups: Map<string, string[]> | undefined;
  sizeBytes = 0;

  constructor(
    readonly name: string,
    readonly onFlush: CacheFlushCallback,
    readonly groupOf: CacheGroupOf | undefined,
  ) {
    this.groups = groupOf === undefined ? undefined : new Map();
  }

  /** Adds a key that just entered the cache to its group, in key order (usually at the end). */
  joinGroup(k: string): void {
    const groups = this.groups;
    if (groups === undefined) return;
    const g = this.groupOf!(k);
    const keys = groups.get(g);
    if (keys === undefined) groups.set(g, [k]);
    else if (keys[keys.length - 1]! < k) keys.push(k);
    else keys.splice(lowerBound(keys, k), 0, k);
  }

  /** Removes a key that just left the cache from its group. */
  leaveGroup(k: string): void {
    const groups = this.groups;
    if (groups === undefined) return;
    const g = this.groupOf!(k);
    const keys = groups.get(g);
    if (keys === undefined) return;
    const i = lowerBound(keys, k);
    if (keys[i] !== k) return;
    if (keys.length === 1) groups.delete(g);
    else keys.splice(i, 1);
  }

  /** The key index, built now if no range has needed it yet. */
  index(): BTree<string, CacheEntry> {
    if (this.sorted === undefined) {
      const entries = [...this.lru.entries()].sort((a, b) => compareKeyStrings(a[0], b[0]));
      this.sorted = new BTree<string, CacheEntry>(entries, compareKeyStrings);
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
  /** The last key looked up or written and its string (see {@link keyOf}). */
  private lastKey: Buffer | undefined;
  private lastKeyString = '';
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
    return this.caches.get(name)?.lru.size ?? 0;
  }

  /**
   * Creates the named cache of a store; `onFlush` receives its dirty entries; with `groupOf`, the
   * cache keeps its keys by group too ({@link group}). A named cache left by an earlier incarnation
   * of the same task on this thread (a store that was never closed) is dropped.
   */
  addNamedCache(name: string, onFlush: CacheFlushCallback, groupOf?: CacheGroupOf): void {
    this.removeNamedCache(name);
    this.caches.set(name, new NamedCache(name, onFlush, groupOf));
  }

  /**
   * The entries of group `group` (of the named cache's `groupOf`) with keys in `[from, to]`, in key
   * order (descending if `reverse`), tombstones included: {@link range}'s answer when every key in
   * `[from, to]` is in that group, without an index of the whole cache. Read at the call, without
   * changing the LRU order. Empty for a cache created without groups.
   */
  groupRange(name: string, group: string, from: Buffer, to: Buffer, reverse: boolean): CacheEntry[] {
    const c = this.cache(name);
    const keys = c.groups?.get(group);
    if (keys === undefined) return [];
    const low = keyString(from);
    const high = keyString(to);
    const out: CacheEntry[] = [];
    for (let i = lowerBound(keys, low); i < keys.length && keys[i]! <= high; i++)
      out.push(c.lru.peek(keys[i]!)!);
    if (reverse) out.reverse();
    return out;
  }

  /** Drops a named cache without flushing it. */
  removeNamedCache(name: string): void {
    const c = this.caches.get(name);
    if (c === undefined) return;
    this.totalBytes -= c.sizeBytes;
    this.caches.delete(name);
  }

  get(name: string, key: Buffer): CacheEntry | undefined {
    const c = this.cache(name);
    const k = this.keyOf(key);
    return c.lru.get(k);
  }

  put(name: string, entry: CacheEntry): void {
    const c = this.cache(name);
    const k = this.keyOf(entry.key);
    const node = c.lru.node(k);
    if (node === undefined && c.lru.size === 0 && this.totalBytes + entrySize(entry) > this.maxBytes) {
      // An entry that does not fit into an empty cache (the thread's budget is held by other caches,
      // e.g. an aggregation's behind a large cached table): added, it would be the eldest and evicted
      // at once (Kafka Streams' `ThreadCache.put` then `maybeEvict`), so it is evicted without being
      // added: counted, and flushed alone if dirty. Then eviction goes on as after any put.
      this.evictions++;
      if (entry.dirty) {
        this.flushNamed(c, entry);
        this.maybeEvict(c);
      }
      return;
    }
    if (node !== undefined) {
      const old = node.value;
      if (old.dirty) {
        if (!entry.dirty) throw new Error(`record cache ${name}: a clean write would hide an unflushed one`);
        old.dirty = false; // replaced: the key's new entry is flushed in its place
        c.dirtyCount--;
        entry.prior = old.prior;
        old.prior = undefined;
      } else if (entry.dirty) entry.prior = old.value;
      this.resize(c, -entrySize(old));
      c.lru.setNode(node, entry);
    } else {
      c.lru.add(k, entry);
      c.joinGroup(k);
    }
    c.sorted?.set(k, entry);
    this.resize(c, entrySize(entry));
    if (entry.dirty) this.markDirty(c, k, entry);
    this.maybeEvict(c);
  }

  private markDirty(c: NamedCache, k: string, entry: CacheEntry): void {
    c.dirtyLog.push(entry);
    c.dirtyLogKeys.push(k);
    c.dirtyCount++;
    if (c.dirtyLog.length > 64 && c.dirtyLog.length > 4 * c.dirtyCount) {
      // Mostly replaced entries (a few keys written over and over): keep the dirty ones, in order.
      let n = 0;
      for (let i = 0; i < c.dirtyLog.length; i++) {
        const e = c.dirtyLog[i];
        if (!e.dirty) continue;
        c.dirtyLog[n] = e;
        c.dirtyLogKeys[n++] = c.dirtyLogKeys[i];
      }
      c.dirtyLog.length = n;
      c.dirtyLogKeys.length = n;
    }
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
   * just taken out of the cache, goes first (Kafka Streams' `NamedCache.flush(evicted)`).
   */
  private flushNamed(c: NamedCache, evicted: CacheEntry | undefined): void {
    const log = c.dirtyLog;
    const keys = c.dirtyLogKeys;
    c.dirtyLog = [];
    c.dirtyLogKeys = [];
    c.dirtyCount = 0;
    const dirty: CacheEntry[] = [];
    if (evicted !== undefined) {
      evicted.dirty = false; // not in the log's pass below; it has left the cache
      dirty.push(evicted);
    }
    let deleted: Array<[string, CacheEntry]> | undefined;
    for (let i = 0; i < log.length; i++) {
      const e = log[i];
      if (!e.dirty) continue; // replaced by a later write of its key
      dirty.push(e);
      e.dirty = false;
      if (e.value === null) (deleted ??= []).push([keys[i], e]);
    }
    c.onFlush(dirty);
    if (deleted === undefined) return;
    for (const [k, e] of deleted) {
      const node = c.lru.node(k);
      if (node === undefined || node.value !== e) continue;
      c.lru.deleteNode(node);
      c.sorted?.delete(k);
      c.leaveGroup(k);
      this.resize(c, -entrySize(e));
    }
  }

  /**
   * A snapshot of a named cache's entries with keys in `[from, to]` (open bounds if `undefined`),
   * in key order (descending if `reverse`), tombstones included. The entries are copied out of the
   * key index at the call (Kafka Streams' `NamedCache.keyRange` copies the keys too): later writes do
   * not show, and the index is not cloned (a clone makes every later write copy the tree's path).
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
    if (low !== undefined && high !== undefined) {
      if (low <= high) c.index().forRange(low, high, true, (_k, e) => void out.push(e));
    } else {
      for (const [k, e] of c.index().entries(low)) {
        if (high !== undefined && k > high) break;
        out.push(e);
      }
    }
    if (reverse) out.reverse();
    return out[Symbol.iterator]();
  }

  /**
   * The key string of a key Buffer; the same Buffer as the last call's gives the same string (a
   * caching layer looks a key up and then writes it: one string, hashed once). Cached keys never
   * change, so a Buffer's string stays right.
   */
  private keyOf(key: Buffer): string {
    if (key === this.lastKey) return this.lastKeyString;
    const k = keyString(key);
    this.lastKey = key;
    this.lastKeyString = k;
    return k;
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
      const eldest = c.lru.eldestNode();
      if (eldest === undefined) return;
      const e = eldest.value;
      c.lru.deleteNode(eldest);
      c.sorted?.delete(eldest.key);
      c.leaveGroup(eldest.key);
      this.resize(c, -entrySize(e));
      this.evictions++;
      if (e.dirty) {
        c.dirtyCount--;
        this.flushNamed(c, e);
      }
    }
  }
}
