import type { StateStoreContext } from '../../processor/state-store';
import type { BytesTable } from './bytes-table';
import { MemoryTable } from './memory-table';
import { TableKeyValueStore } from './table-key-value-store';

/** Kafka Streams' `InMemoryKeyValueStore`: a sorted in-memory map, restored in full from its changelog. */
export class InMemoryKeyValueStore extends TableKeyValueStore {
  readonly persistent = false;
  readonly storeType = 'in-memory';

  protected openTable(_context: StateStoreContext): BytesTable {
    return new MemoryTable();
  }
}
