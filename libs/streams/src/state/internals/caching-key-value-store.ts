import type { Serializer } from '../../serialization/serde';
import type { StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { prefixUpperBound } from './bytes';
import { FlushTimestampContext } from './forwarding-context';
import { mergeCacheAndStore } from './merged-cache-iterator';
import { RecordCache, type CacheEntry } from './record-cache';
import { filterIterator } from './store-iterator';
import { serializePrefix, type KeyValueBytesStore } from './table-key-value-store';

/**
 * Called for each record leaving the cache: the key, its new value (`null` = deleted), its previous
 * value in the store below (`undefined` if none, or if old values were not requested) and the
 * timestamp of the record that wrote it.
 */
export type BytesFlushListener = (
  key: Buffer,
  newValue: Buffer | null,
  oldValue: Buffer | undefined,
  timestamp: number,
) => void;

/**
 * Kafka Streams' `CachingKeyValueStore`: writes go to the task's {@link RecordCache}; the latest value
 * per key goes to the store below (and so to the changelog) and to the flush listener on flush or
 * eviction. Reads see the cache first; range scans merge cache and store.
 */
export class CachingKeyValueStore implements KeyValueBytesStore {
  private cache: RecordCache | undefined;
  private cacheName = '';
  private context: StateStoreContext | undefined;
  private flushContext: FlushTimestampContext | undefined;
  private listener: BytesFlushListener | undefined;
  private sendOldValues = false;

  constructor(readonly inner: KeyValueBytesStore) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get storeType(): string {
    return this.inner.storeType;
  }

  /** Sets the listener that receives records as they leave the cache (KTable forwarding). */
  setFlushListener(listener: BytesFlushListener, sendOldValues: boolean): void {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.context = context;
    this.flushContext = new FlushTimestampContext(context);
    const opened = this.inner.init(this.flushContext, root);
    return opened instanceof Promise ? opened.then(() => this.openCache()) : this.openCache();
  }

  private openCache(): void {
    const flushContext = this.flushContext as FlushTimestampContext;
    const rootContext = flushContext.root;
    this.cache = RecordCache.forContext(rootContext);
    this.cacheName = `${rootContext.taskId.toString()}-${this.name}`;
    this.cache.addNamedCache(this.cacheName, (dirty) => this.putAndMaybeForward(dirty));
  }

  isOpen(): boolean {
    return this.cache !== undefined && this.inner.isOpen();
  }

  get(key: Buffer): Buffer | undefined {
    const cache = this.requireCache();
    const hit = cache.get(this.cacheName, key);
    if (hit !== undefined) return hit.value ?? undefined;
    const value = this.inner.get(key);
    if (value !== undefined) cache.put(this.cacheName, { key, value, dirty: false, timestamp: -1 });
    return value;
  }

  put(key: Buffer, value: Buffer | null): void {
    if (key === null || key === undefined)
      throw new TypeError(`store ${this.name}: key must not be null or undefined`);
    this.requireCache().put(this.cacheName, { key, value, dirty: true, timestamp: this.timestamp() });
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

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  /** Sends the cached dirty entries down and to the flush listener, synchronously; then flushes the store below. */
  flush(): void | Promise<void> {
    this.requireCache().flush(this.cacheName);
    return this.inner.flush();
  }

  async close(): Promise<void> {
    const cache = this.cache;
    if (cache === undefined) return;
    try {
      cache.flush(this.cacheName);
    } finally {
      cache.removeNamedCache(this.cacheName);
      this.cache = undefined;
      await this.inner.close();
    }
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

  private putAndMaybeForward(dirty: readonly CacheEntry[]): void {
    const flushContext = this.flushContext as FlushTimestampContext;
    try {
      for (const e of dirty) {
        const needOld = this.listener !== undefined && this.sendOldValues;
        const old = needOld || e.value === null ? this.inner.get(e.key) : undefined;
        if (e.value === null && old === undefined) continue; // deleting a missing key: nothing to log or forward
        flushContext.flushTimestamp = e.timestamp;
        if (e.value === null) this.inner.delete(e.key);
        else this.inner.put(e.key, e.value);
        this.listener?.(e.key, e.value, needOld ? old : undefined, e.timestamp);
      }
    } finally {
      flushContext.flushTimestamp = undefined;
    }
  }

  private timestamp(): number {
    return (this.context as StateStoreContext).currentTimestamp();
  }

  private requireCache(): RecordCache {
    const c = this.cache;
    if (c === undefined) throw new InvalidStateStoreError(`store ${this.name} is not open`);
    return c;
  }
}
