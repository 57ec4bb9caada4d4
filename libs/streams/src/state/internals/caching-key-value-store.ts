import type { Serializer } from '../../serialization/serde';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { prefixUpperBound } from './bytes';
import { CachingStore, type CacheFlushListener } from './caching-store';
import { mergeCacheAndStore } from './merged-cache-iterator';
import { isQueryRead, type CacheEntry } from './record-cache';
import { filterIterator } from './store-iterator';
import { serializePrefix, type KeyValueBytesStore } from './table-key-value-store';

/** Receives key-value records leaving the cache (see {@link CacheFlushListener}). */
export type BytesFlushListener = CacheFlushListener<Buffer>;

/**
 * Kafka Streams' `CachingKeyValueStore`: writes go to the task's {@link RecordCache}; the latest value
 * per key goes to the store below (and so to the changelog) and to the flush listener on flush or
 * eviction. Reads see the cache first; range scans merge cache and store.
 */
export class CachingKeyValueStore
  extends CachingStore<KeyValueBytesStore, Buffer>
  implements KeyValueBytesStore
{
  /**
   * The key (the very Buffer) of the last read that found the key neither in the cache nor in the
   * store below, until the next write or flush: a write of that key right after it (a table or an
   * aggregation reads a row, then writes it) knows the store below has no value for it.
   */
  private absentKey: Buffer | undefined;

  get(key: Buffer): Buffer | undefined {
    const cache = this.requireCache();
    const hit = cache.lookup(this.cacheName, key);
    if (hit !== undefined) return hit ?? undefined;
    const value = this.inner.get(key);
    // An interactive query's read is not cached: caching it may evict and flush (Kafka Streams caches
    // only the stream thread's reads).
    if (isQueryRead()) return value;
    if (value !== undefined)
      cache.put(this.cacheName, {
        key,
        value,
        dirty: false,
        timestamp: -1,
        prior: undefined,
        headers: undefined,
      });
    else this.absentKey = key;
    return value;
  }

  put(key: Buffer, value: Buffer | null): void {
    if (key === null || key === undefined)
      throw new TypeError(`store ${this.name}: key must not be null or undefined`);
    const absent = key === this.absentKey;
    this.absentKey = undefined;
    this.write(key, value, absent ? null : undefined);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | undefined {
    const existing = this.get(key);
    if (existing === undefined) this.put(key, value);
    return existing;
  }

  putAll(entries: Iterable<KeyValue<Buffer, Buffer | null>>): void {
    for (const e of entries) this.put(e.key, e.value);
  }

  delete(key: Buffer): Buffer | undefined {
    const old = this.get(key);
    this.put(key, null);
    return old;
  }

  range(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    return this.merged(from, to, false);
  }

  reverseRange(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    return this.merged(from, to, true);
  }

  prefixScan<P>(prefix: P, serializer: Serializer<P>): KeyValueIterator<Buffer, Buffer> {
    const bytes = serializePrefix(serializer, this.name, prefix, this.name);
    const upper = prefixUpperBound(bytes);
    const it = this.merged(bytes, upper, false);
    return upper === undefined ? it : filterIterator(it, (e) => !e.key.equals(upper), this.name);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.merged(undefined, undefined, false);
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.merged(undefined, undefined, true);
  }

  private merged(
    from: Buffer | undefined,
    to: Buffer | undefined,
    reverse: boolean,
  ): KeyValueIterator<Buffer, Buffer> {
    const cache = this.requireCache();
    if (from !== undefined && to !== undefined && Buffer.compare(from, to) > 0) {
      return this.inner.range(from, to);
    }
    const cached = cache.range(this.cacheName, from, to, reverse);
    const stored = reverse ? this.inner.reverseRange(from, to) : this.inner.range(from, to);
    return mergeCacheAndStore(cached, stored, reverse, this.name);
  }

  protected flushEntry(e: CacheEntry): void {
    this.absentKey = undefined; // the store below changes
    const listener = this.listener;
    const needOld = listener !== undefined && this.sendOldValues;
    // The store's old value: known from the cache (see CacheEntry.prior) or read, as Kafka Streams reads it.
    const prior = e.prior;
    e.prior = undefined;
    const old =
      needOld || (listener !== undefined && e.value === null)
        ? prior === undefined
          ? this.inner.get(e.key)
          : (prior ?? undefined)
        : undefined;
    // Deleting a key missing below, with a listener: nothing to log or forward (Kafka Streams'
    // `putAndMaybeForward`). Without one Kafka Streams writes the tombstone down (and logs it) unread.
    if (listener !== undefined && e.value === null && old === undefined) return;
    if (e.value === null) this.inner.delete(e.key);
    else this.inner.put(e.key, e.value);
    listener?.(e.key, e.value, needOld ? old : undefined, e.timestamp, e.headers);
  }
}
