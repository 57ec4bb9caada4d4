import type { StateStore, StateStoreContext } from '../../processor/state-store';
import type { Headers } from '../../serialization/serde';
import { InvalidStateStoreError } from '../errors';
import { FlushTimestampContext } from './forwarding-context';
import { RecordCache, type CacheEntry, type CacheGroupOf } from './record-cache';
import { WrappedStateStore, type LayeredStore } from './wrapped-state-store';

/**
 * Called for each record leaving a caching layer: the key (`Buffer`, or `Windowed<Buffer>` for
 * window and session stores), its new value (`null` = deleted), its previous value in the store
 * below (`undefined` if none, or if old values were not requested), the timestamp of the record
 * that wrote it and that record's headers (`undefined`: it had none; the record's own object).
 */
export type CacheFlushListener<KB> = (
  key: KB,
  newValue: Buffer | null,
  oldValue: Buffer | undefined,
  timestamp: number,
  headers: Headers | undefined,
) => void;

/**
 * Base of the caching layers (key-value, window, session; Kafka Streams' `CachingKeyValueStore`,
 * `CachingWindowStore`, `CachingSessionStore`): writes go to the task's {@link RecordCache} under a
 * named cache `<taskId>-<store>`; dirty entries reach the store below (and so the changelog) and the
 * flush listener on flush or eviction, each with its own record timestamp and headers (Kafka Streams'
 * `LRUCacheEntry` keeps the writing record's context, and the flush forwards it).
 */
export abstract class CachingStore<S extends LayeredStore, KB> extends WrappedStateStore<S> {
  private cache: RecordCache | undefined;
  protected cacheName = '';
  private context: StateStoreContext | undefined;
  private flushContext: FlushTimestampContext | undefined;
  protected listener: CacheFlushListener<KB> | undefined;
  protected sendOldValues = false;

  /** Sets the listener that receives records as they leave the cache (KTable forwarding). */
  setFlushListener(listener: CacheFlushListener<KB>, sendOldValues: boolean): void {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
  }

  override init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.context = context;
    const flushContext = new FlushTimestampContext(context);
    this.flushContext = flushContext;
    const opened = this.inner.init(flushContext, root);
    return opened instanceof Promise
      ? opened.then(() => this.openCache(flushContext))
      : this.openCache(flushContext);
  }

  private openCache(flushContext: FlushTimestampContext): void {
    const rootContext = flushContext.root;
    this.cache = RecordCache.forContext(rootContext);
    this.cacheName = `${rootContext.taskId.toString()}-${this.name}`;
    this.cache.addNamedCache(
      this.cacheName,
      (dirty) => {
        try {
          for (const e of dirty) {
            flushContext.flushTimestamp = e.timestamp;
            this.flushEntry(e);
          }
        } finally {
          flushContext.flushTimestamp = undefined;
        }
      },
      this.cacheGroupOf(),
    );
  }

  /** The grouping of this store's cache keys its lookups read by ({@link RecordCache.group}); none by default. */
  protected cacheGroupOf(): CacheGroupOf | undefined {
    return undefined;
  }

  /** Writes one dirty entry leaving the cache to the store below and tells the flush listener. */
  protected abstract flushEntry(e: CacheEntry): void;

  override isOpen(): boolean {
    return this.cache !== undefined && this.inner.isOpen();
  }

  /** Sends the cached dirty entries down and to the flush listener, synchronously; then flushes the store below. */
  override flush(): void | Promise<void> {
    this.requireCache().flush(this.cacheName);
    return this.inner.flush();
  }

  /**
   * Sends the cached dirty entries down and to the flush listener, then lets the store below commit
   * what it buffered past its longest delay (its `flushCache`), leaving the rest of its buffers.
   */
  override flushCache(): void | Promise<void> {
    this.requireCache().flush(this.cacheName);
    return this.inner.flushCache?.();
  }

  override async close(): Promise<void> {
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

  /**
   * Puts a dirty entry into the cache, stamped with the current record's timestamp and headers (kept
   * by reference; empty headers are not kept, so a cached entry holds no object of its own for
   * them); `prior` is the key's value in the store below if the caller knows it (`null`: none there;
   * see `CacheEntry.prior`); `group`, the key's cache group if the caller knows it.
   */
  protected write(cacheKey: Buffer, value: Buffer | null, prior?: Buffer | null, group?: string): void {
    const context = this.context;
    if (context === undefined) throw new InvalidStateStoreError(`store ${this.name} is not open`);
    const headers = context.currentHeaders?.();
    this.requireCache().putDirty(
      this.cacheName,
      cacheKey,
      value,
      context.currentTimestamp(),
      prior,
      headers === undefined || isEmpty(headers) ? undefined : headers,
      group,
    );
  }

  protected requireCache(): RecordCache {
    const c = this.cache;
    if (c === undefined) throw new InvalidStateStoreError(`store ${this.name} is not open`);
    return c;
  }
}

/** True if `headers` has no header. */
function isEmpty(headers: Headers): boolean {
  for (const _ in headers) return false;
  return true;
}
