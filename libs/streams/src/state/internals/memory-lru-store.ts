import type { StateStoreContext } from '../../processor/state-store';
import { InvalidStoreConfigError } from '../errors';
import type { BytesTable } from './bytes-table';
import { LruTable } from './lru-table';
import { TableKeyValueStore } from './table-key-value-store';

/**
 * Kafka Streams' `MemoryLRUCache` (`Stores.lruMap`): an in-memory store of at most `maxEntries`
 * entries that evicts the least recently used one. With logging on, an eviction is logged as a
 * tombstone, so the changelog matches the store.
 */
export class MemoryLruStore extends TableKeyValueStore {
  readonly persistent = false;
  readonly storeType = 'lru-map';
  private evictionListener: ((key: Buffer, value: Buffer) => void) | undefined;
  private lru: LruTable | undefined;

  constructor(
    name: string,
    readonly maxEntries: number,
  ) {
    super(name);
    if (!Number.isInteger(maxEntries) || maxEntries <= 0) {
      throw new InvalidStoreConfigError(
        `lruMap ${name}: maxEntries must be a positive integer, got ${maxEntries}`,
      );
    }
  }

  /** Sets the callback run for each evicted entry. */
  setEvictionListener(listener: (key: Buffer, value: Buffer) => void): void {
    this.evictionListener = listener;
    if (this.lru) this.lru.evictionListener = listener;
  }

  protected openTable(_context: StateStoreContext): BytesTable {
    this.lru = new LruTable(this.maxEntries);
    this.lru.evictionListener = this.evictionListener;
    return this.lru;
  }
}
