import { InvalidStoreConfigError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { Window, Windowed } from '../window';
import { CachingStore, type CacheFlushListener } from './caching-store';
import type { CacheEntry, CacheGroupOf } from './record-cache';
import { keyString } from './bytes';
import { filterIterator, StoreIterator } from './store-iterator';
import type { SessionBytesStore, WindowBytesStore } from './window-bytes-store';
import {
  MAX_TIMESTAMP,
  readTimestamp,
  requireTimestamp,
  SESSION_SUFFIX_BYTES,
  SessionKeySchema,
  WINDOW_SUFFIX_BYTES,
  WindowKeySchema,
  writeTimestamp,
} from './window-key-schema';

/** Receives windowed records leaving the cache (see {@link CacheFlushListener}). */
export type WindowedBytesFlushListener = CacheFlushListener<Windowed<Buffer>>;

/** 8-byte segment id prefix: cache keys sort by segment first, then store key, as the segmented store iterates. */
function segmentPrefixed(segmentId: number, storeKey: Buffer): Buffer {
  const out = Buffer.allocUnsafe(8 + storeKey.length);
  writeTimestamp(out, 0, segmentId);
  storeKey.copy(out, 8);
  return out;
}

/** `segmentPrefixed(segmentId, WindowKeySchema.toStoreKey(key, windowStart, 0))` in one buffer. */
function windowCacheKey(segmentId: number, key: Buffer, windowStart: number): Buffer {
  const out = Buffer.allocUnsafe(8 + key.length + WINDOW_SUFFIX_BYTES);
  writeTimestamp(out, 0, segmentId);
  key.copy(out, 8);
  writeTimestamp(out, 8 + key.length, windowStart);
  out.writeUInt32BE(0, 16 + key.length);
  return out;
}

/** `segmentPrefixed(segmentId, SessionKeySchema.toStoreKey(key, start, end))` in one buffer. */
function sessionCacheKey(segmentId: number, key: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(8 + key.length + SESSION_SUFFIX_BYTES);
  writeTimestamp(out, 0, segmentId);
  key.copy(out, 8);
  writeTimestamp(out, 8 + key.length, end);
  writeTimestamp(out, 16 + key.length, start);
  return out;
}

/** The record key (latin1) of a session cache key string: between the segment id and the session end and start. */
function sessionCacheGroup(cacheKey: string): string {
  return cacheKey.slice(8, cacheKey.length - SESSION_SUFFIX_BYTES);
}

function segmentPrefix(segmentId: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  writeTimestamp(out, 0, segmentId);
  return out;
}

/**
 * Merges cache entries (already filtered, in cache-key order) with the store's entries (same order,
 * whose cache key `cacheKeyOf` computes); for equal keys the cache wins, cached tombstones hide the store's entry.
 */
function mergeSegmented<X>(
  cache: Iterator<CacheEntry>,
  store: KeyValueIterator<X, Buffer>,
  cacheKeyOf: (key: X) => Buffer,
  fromCache: (e: CacheEntry) => KeyValue<X, Buffer>,
  reverse: boolean,
  storeName: string,
): KeyValueIterator<X, Buffer> {
  const sign = reverse ? -1 : 1;
  const nextCache = () => {
    const r = cache.next();
    return r.done ? undefined : r.value;
  };
  const nextStore = () => {
    const r = store.next();
    return r.done ? undefined : r.value;
  };
  let c = nextCache();
  let s = nextStore();
  const merged: Iterator<KeyValue<X, Buffer>> = {
    next: () => {
      for (;;) {
        if (c === undefined && s === undefined) return { done: true, value: undefined };
        const cmp =
          c === undefined ? 1 : s === undefined ? -1 : sign * Buffer.compare(c.key, cacheKeyOf(s.key));
        if (cmp > 0) {
          const out = s as KeyValue<X, Buffer>;
          s = nextStore();
          return { done: false, value: out };
        }
        const e = c as CacheEntry;
        c = nextCache();
        if (cmp === 0) s = nextStore();
        if (e.value === null) continue;
        return { done: false, value: fromCache(e) };
      }
    },
    return: () => {
      store.close();
      cache.return?.();
      return { done: true, value: undefined };
    },
  };
  return new StoreIterator(merged, undefined, storeName);
}

/**
 * True if the record key at `[start, end)` of `buffer` is in `[keyFrom, keyTo]` by bytes (an
 * `undefined` bound is open); compares in place, without a view per entry.
 */
function recordKeyInRange(
  buffer: Buffer,
  start: number,
  end: number,
  keyFrom: Buffer | undefined,
  keyTo: Buffer | undefined,
): boolean {
  return (
    (keyFrom === undefined || buffer.compare(keyFrom, 0, keyFrom.length, start, end) >= 0) &&
    (keyTo === undefined || buffer.compare(keyTo, 0, keyTo.length, start, end) <= 0)
  );
}

/** The time-segment plumbing the caching window and session layers add to {@link CachingStore}. */
abstract class CachingSegmentedStore<S extends WindowBytesStore | SessionBytesStore> extends CachingStore<
  S,
  Windowed<Buffer>
> {
  /** Largest segment timestamp written through this layer. */
  protected observed = -Infinity;

  constructor(
    inner: S,
    protected readonly segmentIntervalMs: number,
  ) {
    super(inner);
  }

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  protected segmentId(timestamp: number): number {
    return Math.floor(timestamp / this.segmentIntervalMs);
  }

  protected minLiveTime(): number {
    return Math.max(0, this.observed - this.inner.retentionMs + 1);
  }
}

/**
 * Kafka Streams' `CachingWindowStore`: window writes go to the task's record cache (keyed by segment
 * and window store key) and reach the store below, the changelog and the flush listener on flush or
 * eviction; reads merge cache and store. Not for stores that retain duplicates.
 */
export class CachingWindowStore extends CachingSegmentedStore<WindowBytesStore> implements WindowBytesStore {
  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): Buffer | undefined {
    requireTimestamp(windowStart, 'windowStartTime', this.name);
    this.observed = Math.max(this.observed, windowStart);
    if (windowStart < this.minLiveTime()) return undefined;
    const cacheKey = this.cacheKeyOf(key, windowStart);
    this.write(cacheKey, value);
    return this.lastStoreKey();
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    if (windowStart < this.minLiveTime()) return undefined;
    const cacheKey = this.cacheKeyOf(key, windowStart);
    const hit = this.requireCache().lookup(this.cacheName, cacheKey);
    if (hit !== undefined) return hit ?? undefined;
    requireTimestamp(windowStart, 'windowStartTime', this.name);
    return this.inner.fetchStoreKey(this.lastStoreKey());
  }

  /** The last cache key built and what it was built from (see {@link cacheKeyOf}). */
  private lastKey: Buffer | undefined;
  private lastWindowStart = -1;
  private lastCacheKey: Buffer | undefined;
  /** The store key (a view) of the last cache key, once asked for (see {@link lastStoreKey}). */
  private lastStoreKeyView: Buffer | undefined;

  /**
   * The cache key of a window; the same key Buffer and window start as the last call's give the same
   * Buffer (a windowed aggregation fetches a window and then puts it), never changed once built.
   */
  private cacheKeyOf(key: Buffer, windowStart: number): Buffer {
    if (key === this.lastKey && windowStart === this.lastWindowStart) return this.lastCacheKey as Buffer;
    const cacheKey = windowCacheKey(this.segmentId(windowStart), key, windowStart);
    this.lastKey = key;
    this.lastWindowStart = windowStart;
    this.lastCacheKey = cacheKey;
    this.lastStoreKeyView = undefined;
    return cacheKey;
  }

  /**
   * The store key of the last {@link cacheKeyOf} (its cache key without the segment prefix): one
   * view for the fetch of a window missing from the cache and the put that follows it.
   */
  private lastStoreKey(): Buffer {
    return (this.lastStoreKeyView ??= (this.lastCacheKey as Buffer).subarray(8));
  }

  fetchRange(
    key: Buffer,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<number, Buffer> {
    const from = Math.max(0, timeFrom);
    const to = Math.min(MAX_TIMESTAMP, timeTo);
    const minLive = this.minLiveTime();
    const cached =
      from > to
        ? [][Symbol.iterator]()
        : this.cached(
            segmentPrefixed(this.segmentId(from), WindowKeySchema.lowerRange(key, from)),
            segmentPrefixed(this.segmentId(to), WindowKeySchema.upperRange(key, to)),
            reverse,
            (storeKey) => {
              const ts = WindowKeySchema.extractTimestamp(storeKey);
              return (
                ts >= from && ts <= to && ts >= minLive && WindowKeySchema.extractKey(storeKey).equals(key)
              );
            },
          );
    return mergeSegmented<number>(
      cached,
      // the store below sees stream time only as entries are flushed; expire by this layer's stream time
      filterIterator(
        this.inner.fetchRange(key, timeFrom, timeTo, reverse),
        (e) => e.key >= minLive,
        this.name,
      ),
      (ts) => segmentPrefixed(this.segmentId(ts), WindowKeySchema.toStoreKey(key, ts, 0)),
      (e) => ({ key: WindowKeySchema.extractTimestamp(e.key.subarray(8)), value: e.value as Buffer }),
      reverse,
      this.name,
    );
  }

  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const from = Math.max(0, timeFrom);
    const to = Math.min(MAX_TIMESTAMP, timeTo);
    const minLive = this.minLiveTime();
    const keysReversed = keyFrom !== undefined && keyTo !== undefined && Buffer.compare(keyFrom, keyTo) > 0;
    const cached =
      from > to || keysReversed
        ? [][Symbol.iterator]()
        : this.cached(
            keyFrom === undefined
              ? segmentPrefix(this.segmentId(from))
              : segmentPrefixed(this.segmentId(from), WindowKeySchema.lowerRange(keyFrom, from)),
            keyTo === undefined
              ? segmentPrefix(this.segmentId(to) + 1)
              : segmentPrefixed(this.segmentId(to), WindowKeySchema.upperRange(keyTo, to)),
            reverse,
            (storeKey) => {
              const ts = WindowKeySchema.extractTimestamp(storeKey);
              if (ts < from || ts > to || ts < minLive) return false;
              const k = WindowKeySchema.extractKey(storeKey);
              return (
                (keyFrom === undefined || Buffer.compare(k, keyFrom) >= 0) &&
                (keyTo === undefined || Buffer.compare(k, keyTo) <= 0)
              );
            },
          );
    const windowSize = this.inner.windowSizeMs;
    return mergeSegmented<Windowed<Buffer>>(
      cached,
      filterIterator(
        this.inner.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo, reverse),
        (e) => e.key.window().start() >= minLive,
        this.name,
      ),
      (w) =>
        segmentPrefixed(
          this.segmentId(w.window().start()),
          WindowKeySchema.toStoreKey(w.key(), w.window().start(), 0),
        ),
      (e) => {
        const storeKey = e.key.subarray(8);
        const start = WindowKeySchema.extractTimestamp(storeKey);
        return {
          key: new Windowed(
            Buffer.from(WindowKeySchema.extractKey(storeKey)),
            new Window(start, start + windowSize),
          ),
          value: e.value as Buffer,
        };
      },
      reverse,
      this.name,
    );
  }

  fetchAll(timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, timeFrom, timeTo, reverse);
  }

  all(reverse = false): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, 0, MAX_TIMESTAMP, reverse);
  }

  putStoreKey(storeKey: Buffer, value: Buffer | null): Buffer | undefined {
    return this.put(WindowKeySchema.extractKey(storeKey), value, WindowKeySchema.extractTimestamp(storeKey));
  }

  fetchStoreKey(storeKey: Buffer): Buffer | undefined {
    return this.fetch(WindowKeySchema.extractKey(storeKey), WindowKeySchema.extractTimestamp(storeKey));
  }

  /**
   * Writes the entry's store key (its cache key without the segment prefix) below; the listener's
   * windowed key is a view of it (cache keys never change).
   */
  protected flushEntry(e: CacheEntry): void {
    const storeKey = e.key.subarray(8);
    const listener = this.listener;
    const needOld = listener !== undefined && this.sendOldValues;
    // A tombstone of a key missing below is skipped only with a listener (Kafka Streams' `putAndMaybeForward`).
    const old =
      needOld || (listener !== undefined && e.value === null)
        ? this.inner.fetchStoreKey(storeKey)
        : undefined;
    if (listener !== undefined && e.value === null && old === undefined) return;
    this.inner.putStoreKey(storeKey, e.value);
    if (listener === undefined) return;
    const start = WindowKeySchema.extractTimestamp(storeKey);
    listener(
      new Windowed(WindowKeySchema.extractKey(storeKey), new Window(start, start + this.inner.windowSizeMs)),
      e.value,
      needOld ? old : undefined,
      e.timestamp,
      e.headers,
    );
  }

  private cached(
    low: Buffer,
    high: Buffer,
    reverse: boolean,
    keep: (storeKey: Buffer) => boolean,
  ): Iterator<CacheEntry> {
    const hits: CacheEntry[] = [];
    for (const e of this.requireCache().range(this.cacheName, low, high, reverse))
      if (keep(e.key.subarray(8))) hits.push(e);
    return hits[Symbol.iterator]();
  }
}

/**
 * Kafka Streams' `CachingSessionStore`: session writes go to the task's record cache (keyed by the
 * segment of the session end and the session store key); reads merge cache and store.
 */
export class CachingSessionStore
  extends CachingSegmentedStore<SessionBytesStore>
  implements SessionBytesStore
{
  /**
   * Caches the session's write; `recordKey`, the session key's latin1 string if the caller has it,
   * is its cache group (the record cache need not make it from the cache key). Returns the cache
   * key (the store key after the 8-byte segment prefix; the metered layer above only tests it for
   * `undefined`, an expired session), or `undefined`.
   */
  put(session: Windowed<Buffer>, value: Buffer | null, recordKey?: string): Buffer | undefined {
    const start = session.window().start();
    const end = session.window().end();
    requireTimestamp(start, 'session start', this.name);
    requireTimestamp(end, 'session end', this.name);
    if (end < start)
      throw new InvalidStoreConfigError(
        `store ${this.name}: session end ${end} is before its start ${start}`,
      );
    this.observed = Math.max(this.observed, end);
    if (end < this.minLiveTime()) return undefined;
    const cacheKey = sessionCacheKey(this.segmentId(end), session.key(), start, end);
    this.write(cacheKey, value, undefined, recordKey);
    return cacheKey;
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    if (end < this.minLiveTime()) return undefined;
    const hit = this.requireCache().lookup(
      this.cacheName,
      sessionCacheKey(this.segmentId(end), key, start, end),
    );
    if (hit !== undefined) return hit ?? undefined;
    return this.inner.fetchSession(key, start, end);
  }

  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.findSessionsKeyRange(key, key, earliestSessionEndTime, latestSessionStartTime, reverse);
  }

  findSessionsKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const single = keyFrom !== undefined && keyTo !== undefined && keyFrom.equals(keyTo);
    if (single) {
      return new StoreIterator(
        this.sessionsOf(keyFrom, earliestSessionEndTime, latestSessionStartTime, reverse)[Symbol.iterator](),
        undefined,
        this.name,
      );
    }
    const earliestEnd = Math.max(0, earliestSessionEndTime);
    const latestStart = Math.min(MAX_TIMESTAMP, latestSessionStartTime);
    const minLive = this.minLiveTime();
    // One bounded cache range per segment a live session can end in (sessions end at or before
    // this layer's stream time), so a lookup reads only its keys, not the whole cache; the entries
    // are taken at the call (a snapshot, as the store's iterator) and filtered in place.
    const cache = this.requireCache();
    const firstSegment = this.segmentId(Math.max(earliestEnd, minLive));
    const lastSegment = this.segmentId(Math.max(0, this.observed));
    const low = keyFrom;
    const high =
      keyTo === undefined ? undefined : SessionKeySchema.toStoreKey(keyTo, MAX_TIMESTAMP, MAX_TIMESTAMP);
    const hits: CacheEntry[] = [];
    for (let i = 0; i <= lastSegment - firstSegment; i++) {
      const segment = reverse ? lastSegment - i : firstSegment + i;
      for (const e of cache.range(
        this.cacheName,
        low === undefined ? segmentPrefix(segment) : segmentPrefixed(segment, low),
        high === undefined ? segmentPrefix(segment + 1) : segmentPrefixed(segment, high),
        reverse,
      )) {
        // cache key: 8-byte segment id, record key, session end, session start
        const k = e.key;
        const end = readTimestamp(k, k.length - SESSION_SUFFIX_BYTES);
        if (
          end >= earliestEnd &&
          end >= minLive &&
          readTimestamp(k, k.length - 8) <= latestStart &&
          recordKeyInRange(k, 8, k.length - SESSION_SUFFIX_BYTES, keyFrom, keyTo)
        ) {
          hits.push(e);
        }
      }
    }
    const cached = hits[Symbol.iterator]();
    return mergeSegmented<Windowed<Buffer>>(
      cached,
      filterIterator(
        this.inner.findSessionsKeyRange(
          keyFrom,
          keyTo,
          earliestSessionEndTime,
          latestSessionStartTime,
          reverse,
        ),
        (e) => e.key.window().end() >= minLive,
        this.name,
      ),
      (w) =>
        segmentPrefixed(
          this.segmentId(w.window().end()),
          SessionKeySchema.toStoreKey(w.key(), w.window().start(), w.window().end()),
        ),
      (e) => {
        const storeKey = e.key.subarray(8);
        return {
          key: new Windowed(
            Buffer.from(SessionKeySchema.extractKey(storeKey)),
            new Window(SessionKeySchema.extractStart(storeKey), SessionKeySchema.extractEnd(storeKey)),
          ),
          value: e.value as Buffer,
        };
      },
      reverse,
      this.name,
    );
  }

  /**
   * The sessions of one key (see {@link SessionBytesStore.sessionsOf}): the cached ones (the tail of
   * the key's group of cache keys, from the first that can be live and in range) merged with the store's by end, then
   * start (the order of their cache keys for one key); a cached entry replaces the store's of the
   * same session, a cached tombstone hides it. Read at the call; the windowed keys hold `key`.
   */
  sessionsOf(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
    _held?: (end: number, start: number) => boolean,
    recordKey: string = keyString(key),
  ): KeyValue<Windowed<Buffer>, Buffer>[] {
    const earliestEnd = Math.max(0, earliestSessionEndTime);
    const latestStart = Math.min(MAX_TIMESTAMP, latestSessionStartTime);
    const minLive = this.minLiveTime();
    const cache = this.requireCache();
    const keyLength = key.length;
    // cache key: 8-byte segment id, record key, session end, session start. The key's cached
    // sessions are a group of the cache, in key order: by segment (the end's), then end, then start.
    // The ones in the segments a live session can end in (from firstSegment on: every cached
    // session ends at or before this layer's stream time) that end at or after earliestEnd are the
    // group's tail; read (and so made the most recently used) as a range over them would.
    this.tailFirstSegment = this.segmentId(Math.max(earliestEnd, minLive));
    this.tailEarliestEnd = earliestEnd;
    this.tailEndOffset = 8 + keyLength;
    const tail = cache.groupTail(this.cacheName, recordKey, this.inTail, reverse);
    let cached: CacheEntry[] | undefined;
    for (let i = 0; i < tail.length; i++) {
      const e = tail[i]!;
      const k = e.key;
      if (readTimestamp(k, 8 + keyLength) >= minLive && readTimestamp(k, 16 + keyLength) <= latestStart)
        (cached ??= []).push(e);
    }
    // A session cached here wins over the store's (a cached tombstone hides it): the store need
    // not read it.
    const hits = cached;
    const held =
      hits === undefined
        ? undefined
        : (end: number, start: number) => {
            for (const e of hits)
              if (
                readTimestamp(e.key, 8 + keyLength) === end &&
                readTimestamp(e.key, 16 + keyLength) === start
              )
                return true;
            return false;
          };
    const stored = this.inner.sessionsOf(
      key,
      earliestSessionEndTime,
      latestSessionStartTime,
      reverse,
      held,
      recordKey,
    );
    // the store below sees stream time only as entries are flushed; expire by this layer's stream time
    if (cached === undefined) {
      let live = true;
      for (let i = 0; i < stored.length && live; i++) live = stored[i]!.key.window().end() >= minLive;
      if (live) return stored;
      cached = [];
    }
    const sign = reverse ? -1 : 1;
    const out: KeyValue<Windowed<Buffer>, Buffer>[] = [];
    let c = 0;
    let s = 0;
    while (c < cached.length || s < stored.length) {
      const st = s < stored.length ? stored[s]! : undefined;
      if (st !== undefined && st.key.window().end() < minLive) {
        s++;
        continue;
      }
      const e = c < cached.length ? cached[c]! : undefined;
      let cmp: number;
      let end = 0;
      let start = 0;
      if (e === undefined) cmp = 1;
      else {
        end = readTimestamp(e.key, 8 + keyLength);
        start = readTimestamp(e.key, 16 + keyLength);
        if (st === undefined) cmp = -1;
        else {
          const w = st.key.window();
          cmp = sign * (end !== w.end() ? end - w.end() : start - w.start());
        }
      }
      if (cmp > 0) {
        out.push(st!);
        s++;
        continue;
      }
      c++;
      if (cmp === 0) s++;
      if (e!.value === null) continue;
      out.push({ key: new Windowed(key, new Window(start, end)), value: e!.value });
    }
    return out;
  }

  /** What {@link inTail} accepts (set by each {@link sessionsOf}: no closure per lookup). */
  private tailFirstSegment = 0;
  private tailEarliestEnd = 0;
  private tailEndOffset = 0;

  /**
   * Whether a cache key of the key {@link sessionsOf} reads is in the segments a live session can
   * end in and ends at or after the lookup's earliest end: true for a tail of the key's group.
   */
  private readonly inTail = (k: Buffer): boolean =>
    readTimestamp(k, 0) >= this.tailFirstSegment &&
    readTimestamp(k, this.tailEndOffset) >= this.tailEarliestEnd;

  /** Cache keys grouped by their record key: {@link sessionsOf} reads one key's sessions. */
  protected override cacheGroupOf(): CacheGroupOf {
    return sessionCacheGroup;
  }

  putStoreKey(storeKey: Buffer, value: Buffer | null, recordKey?: string): Buffer | undefined {
    const written = this.put(
      new Windowed(
        SessionKeySchema.extractKey(storeKey),
        new Window(SessionKeySchema.extractStart(storeKey), SessionKeySchema.extractEnd(storeKey)),
      ),
      value,
      recordKey,
    );
    return written === undefined ? undefined : storeKey;
  }

  fetchStoreKey(storeKey: Buffer): Buffer | undefined {
    return this.fetchSession(
      SessionKeySchema.extractKey(storeKey),
      SessionKeySchema.extractStart(storeKey),
      SessionKeySchema.extractEnd(storeKey),
    );
  }

  /**
   * Writes the entry's store key (its cache key without the segment prefix) below; the listener's
   * windowed key is a view of it (cache keys never change).
   */
  protected flushEntry(e: CacheEntry): void {
    const storeKey = e.key.subarray(8);
    const listener = this.listener;
    const needOld = listener !== undefined && this.sendOldValues;
    // A tombstone of a key missing below is skipped only with a listener (Kafka Streams' `putAndMaybeForward`).
    const old =
      needOld || (listener !== undefined && e.value === null)
        ? this.inner.fetchStoreKey(storeKey)
        : undefined;
    if (listener !== undefined && e.value === null && old === undefined) return;
    // the entry's group is its record key's latin1 string: the session index need not make it
    this.inner.putStoreKey(storeKey, e.value, e.group);
    if (listener === undefined) return;
    listener(
      new Windowed(
        SessionKeySchema.extractKey(storeKey),
        new Window(SessionKeySchema.extractStart(storeKey), SessionKeySchema.extractEnd(storeKey)),
      ),
      e.value,
      needOld ? old : undefined,
      e.timestamp,
      e.headers,
    );
  }
}
