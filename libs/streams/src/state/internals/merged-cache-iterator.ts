import type { KeyValue, KeyValueIterator } from '../key-value';
import type { CacheEntry } from './record-cache';
import { StoreIterator } from './store-iterator';

/**
 * Kafka Streams' `MergedSortedCacheKeyValueBytesStoreIterator`: merges a snapshot of the record
 * cache with the store below, both in the same key order. For equal keys the cache wins;
 * cached tombstones hide the store's entry.
 */
export function mergeCacheAndStore(
  cache: Iterator<CacheEntry>,
  store: KeyValueIterator<Buffer, Buffer>,
  reverse: boolean,
  storeName?: string,
): KeyValueIterator<Buffer, Buffer> {
  let cacheNext: CacheEntry | undefined = advance(cache);
  const sign = reverse ? -1 : 1;
  const merged: Iterator<KeyValue<Buffer, Buffer>> = {
    next: () => {
      for (;;) {
        const storeKey = store.peekNextKey();
        if (cacheNext === undefined && storeKey === undefined) return { done: true, value: undefined };
        const cmp =
          cacheNext === undefined
            ? 1
            : storeKey === undefined
              ? -1
              : sign * Buffer.compare(cacheNext.key, storeKey);
        if (cmp > 0) {
          return { done: false, value: store.next().value as KeyValue<Buffer, Buffer> };
        }
        const e = cacheNext as CacheEntry;
        cacheNext = advance(cache);
        if (cmp === 0) store.next();
        if (e.value === null) continue;
        return { done: false, value: { key: e.key, value: e.value } };
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

function advance(it: Iterator<CacheEntry>): CacheEntry | undefined {
  const r = it.next();
  return r.done ? undefined : r.value;
}
