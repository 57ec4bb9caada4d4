/**
 * The LMDB write buffer is bounded in time and bytes, not only at a checkpoint: a store whose task
 * never reaches a checkpoint (fewer than 10,000 changelog records, or exactly-once until a clean close)
 * still has its writes in the LMDB file within {@link LMDB_WRITE_BUFFER_MAX_DELAY_MS}, so a full disk
 * is met within seconds and named. "On disk" is read from the environment's `data.mdb` file itself.
 */
import { join } from 'node:path';
import { types } from 'node:util';
import { ProcessorStateError, Stores } from '../../src/state';
import { LMDB_DIR } from '../../src/state/internals/lmdb-key-value-store';
import {
  LMDB_WRITE_BUFFER_BYTES,
  LMDB_WRITE_BUFFER_LIMITS,
  LMDB_WRITE_BUFFER_MAX_DELAY_MS,
  LmdbTable,
} from '../../src/state/internals/lmdb-table';
import {
  TestStateStoreContext,
  inLmdbFile,
  lmdbEnvironmentPerTest,
  stringSerde,
  tempDir,
} from './state-test-context';

jest.setTimeout(30_000);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('a persistent store (caching and logging on, as the services build it) without a checkpoint', () => {
  it('has its writes in the LMDB file by the first task commit (flushCache) past the longest delay', async () => {
    const tmp = tempDir();
    try {
      const store = Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore('bound'),
        stringSerde,
        stringSerde,
      )
        .withCachingEnabled()
        .build();
      await store.init(new TestStateStoreContext(tmp.dir), store);
      const dir = join(tmp.dir, LMDB_DIR, 'bound');
      store.put('customer-1', 'total-marker-0001');
      // A commit soon after: the record cache goes down into the write buffer, which stays (one LMDB
      // commit per many records is what the buffer is for).
      await store.flushCache?.();
      expect(inLmdbFile(dir, 'total-marker-0001')).toBe(false);
      expect(store.get('customer-1')).toBe('total-marker-0001');
      // No checkpoint, no flush(), no further write: the next commit past the delay makes it durable.
      await sleep(LMDB_WRITE_BUFFER_MAX_DELAY_MS + 300);
      await store.flushCache?.();
      expect(inLmdbFile(dir, 'total-marker-0001')).toBe(true);
      await store.close();
    } finally {
      tmp.cleanup();
    }
  });
});

describe('LmdbTable write buffer limits', () => {
  const lmdb = lmdbEnvironmentPerTest('bound-test');

  it('commits at the first write after its oldest write waited maxDelayMs', async () => {
    const table = new LmdbTable(lmdb.env, lmdb.env as never, {
      ...LMDB_WRITE_BUFFER_LIMITS,
      maxDelayMs: 100,
    });
    table.put(Buffer.from('a'), Buffer.from('first-marker'));
    await sleep(30);
    table.put(Buffer.from('b'), Buffer.from('second-marker'));
    expect(table.hasPendingWrites()).toBe(true);
    expect(inLmdbFile(lmdb.dir, 'first-marker')).toBe(false);
    await sleep(150);
    table.put(Buffer.from('c'), Buffer.from('third-marker'));
    expect(table.hasPendingWrites()).toBe(false);
    for (const m of ['first-marker', 'second-marker', 'third-marker'])
      expect(inLmdbFile(lmdb.dir, m)).toBe(true);
    // The delay starts again with the next write into the empty buffer.
    table.put(Buffer.from('d'), Buffer.from('fourth-marker'));
    expect(table.hasPendingWrites()).toBe(true);
    table.commitIfDue();
    expect(table.hasPendingWrites()).toBe(true);
    await sleep(150);
    table.commitIfDue();
    expect(inLmdbFile(lmdb.dir, 'fourth-marker')).toBe(true);
    table.close();
  });

  it(`commits once it holds ${LMDB_WRITE_BUFFER_BYTES} bytes, however few writes`, () => {
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    const size = 128 * 1024;
    const writes = LMDB_WRITE_BUFFER_BYTES / size;
    for (let i = 0; i < writes - 1; i++) {
      const key = Buffer.from(`key-${String(i).padStart(4, '0')}`);
      // The key's length counts too: one write short of the limit by the keys' bytes.
      table.put(key, Buffer.alloc(size - key.length, i));
    }
    expect(table.hasPendingWrites()).toBe(true);
    table.put(Buffer.from('last-key-marker'), Buffer.alloc(size, 1));
    expect(table.hasPendingWrites()).toBe(false);
    expect(inLmdbFile(lmdb.dir, 'last-key-marker')).toBe(true);
    // Rewriting a key replaces its bytes in the count: 80 rewrites of one 128 KiB value stay buffered.
    for (let i = 0; i < 80; i++) table.put(Buffer.from('same'), Buffer.alloc(size, i));
    expect(table.hasPendingWrites()).toBe(true);
    table.close();
  });

  it('a failed commit throws a ProcessorStateError naming the LMDB directory and the cause, the writes kept', async () => {
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    table.put(Buffer.from('k'), Buffer.from('kept-marker'));
    await lmdb.env.close();
    let error: unknown;
    try {
      table.flush();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProcessorStateError);
    const cause = (error as ProcessorStateError).cause as Error;
    // lmdb's native module is shared by every test file of a jest worker, so its errors may come
    // from another file's realm: a realm-independent check, not toBeInstanceOf(Error).
    expect(types.isNativeError(cause)).toBe(true);
    expect(cause.message.length).toBeGreaterThan(0);
    expect((error as Error).message).toContain(lmdb.dir);
    expect((error as Error).message).toContain(cause.message);
    expect(table.hasPendingWrites()).toBe(true);
  });
});
