import { join } from 'node:path';
import type { RootDatabase } from 'lmdb';
import type { StateStoreContext } from '../../processor/state-store';
import type { BytesTable } from './bytes-table';
import { lmdbSyncSettled, openLmdbEnvironment } from './lmdb-environment';
import { LmdbTable } from './lmdb-table';
import { TableKeyValueStore } from './table-key-value-store';

/** Sub-directory of a task's state directory that holds LMDB stores (Kafka Streams uses `rocksdb/`). */
export const LMDB_DIR = 'lmdb';

export { openLmdbEnvironment } from './lmdb-environment';

/**
 * Kafka Streams' `RocksDBStore` counterpart: a persistent key-value store in an LMDB environment
 * under `<stateDir>/lmdb/<storeName>`. Reads are synchronous LMDB reads (memory-mapped); writes are
 * buffered and committed in batches without waiting for the disk (see {@link LmdbTable}); `flush()`
 * (before a checkpoint) makes them durable; restore writes one transaction per batch.
 */
export class LmdbKeyValueStore extends TableKeyValueStore {
  readonly persistent = true;
  readonly storeType = 'lmdb';
  private env: RootDatabase | undefined;

  protected openTable(context: StateStoreContext): BytesTable {
    const env = openLmdbEnvironment(join(context.stateDir, LMDB_DIR, this.name), this.name);
    this.env = env;
    return new LmdbTable(env, env as never);
  }

  protected override async closeEngine(): Promise<void> {
    const env = this.env;
    this.env = undefined;
    if (env === undefined) return;
    // a sync still running on the thread pool must not outlive the environment
    await lmdbSyncSettled(env);
    await env.close();
  }
}
