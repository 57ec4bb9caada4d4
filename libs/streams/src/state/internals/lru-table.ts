import type { KeyValue, KeyValueIterator } from '../key-value';
import { keyBytes, keyString } from './bytes';
import { LruMap } from './lru-map';
import type { BytesTable, BytesWrite } from './bytes-table';
import { StoreIterator } from './store-iterator';

/**
 * A bounded in-memory {@link BytesTable} that evicts its least recently used entry beyond
 * `maxEntries` (Kafka Streams' `MemoryNavigableLRUCache`). A JavaScript `Map` keeps access order;
 * range scans sort a snapshot of the keys.
 */
export class LruTable implements BytesTable {
  private readonly map = new LruMap<string, Buffer>();
  /** Called with each entry evicted for lack of room (the change-logging layer logs a tombstone). */
  evictionListener: ((key: Buffer, value: Buffer) => void) | undefined;

  constructor(readonly maxEntries: number) {}

  get(key: Buffer): Buffer | undefined {
    return this.map.get(keyString(key));
  }

  put(key: Buffer, value: Buffer): void {
    this.map.set(keyString(key), value);
    this.evict();
  }

  delete(key: Buffer): void {
    this.map.delete(keyString(key));
  }

  range(
    from: Buffer | undefined,
    to: Buffer | undefined,
    reverse: boolean,
  ): KeyValueIterator<Buffer, Buffer> {
    const low = from === undefined ? undefined : keyString(from);
    const high = to === undefined ? undefined : keyString(to);
    const entries: KeyValue<string, Buffer>[] = [];
    for (const [key, value] of this.map.entries()) {
      if ((low === undefined || key >= low) && (high === undefined || key <= high))
        entries.push({ key, value });
    }
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (reverse) entries.reverse();
    const it = entries[Symbol.iterator]();
    const source: Iterator<KeyValue<Buffer, Buffer>> = {
      next: () => {
        const r = it.next();
        return r.done ? r : { done: false, value: { key: keyBytes(r.value.key), value: r.value.value } };
      },
    };
    return new StoreIterator(source);
  }

  count(): number {
    return this.map.size;
  }

  writeBatch(writes: readonly BytesWrite[]): void {
    for (const w of writes) {
      if (w.value === null) this.delete(w.key);
      else this.put(w.key, Buffer.from(w.value));
    }
  }

  flush(): void {}

  close(): void {}

  destroy(): void {
    this.map.clear();
  }

  private evict(): void {
    while (this.map.size > this.maxEntries) {
      const eldest = this.map.eldest() as [string, Buffer];
      this.map.delete(eldest[0]);
      this.evictionListener?.(keyBytes(eldest[0]), eldest[1]);
    }
  }
}
