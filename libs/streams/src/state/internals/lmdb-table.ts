import type { Database, RootDatabase } from 'lmdb';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { keyString } from './bytes';
import type { BytesTable, BytesWrite } from './bytes-table';
import { StoreIterator } from './store-iterator';

/** Writes buffered in memory before one LMDB transaction commits them. */
export const LMDB_WRITE_BUFFER_ENTRIES = 10_000;

/**
 * A {@link BytesTable} in one LMDB database (lmdb-js). Reads are synchronous LMDB reads. Writes go to
 * a small in-memory write buffer (read through by `get`) that is committed in one synchronous write
 * transaction when it reaches {@link LMDB_WRITE_BUFFER_ENTRIES}, on `flush()` and before a range scan:
 * one LMDB commit per put would cost ~10x more. A batch (restore) is one transaction.
 *
 * A buffered write holds copies of its key and value in one buffer of their exact size
 * ({@link ownedWrite}), never the caller's buffers: those are usually views of something larger (a
 * slot of Node's shared 8 KiB allocation pool, a fetched record batch), and the buffer may keep its
 * writes until a checkpoint, minutes later, so 10,000 views would keep up to 10,000 pool slabs or
 * fetch responses alive outside the V8 heap.
 */
export class LmdbTable implements BytesTable {
  private readonly pending = new Map<string, BytesWrite>();
  private readonly openIterators = new Set<KeyValueIterator<Buffer, Buffer>>();

  constructor(
    private readonly env: RootDatabase,
    private readonly db: Database<Buffer, Buffer>,
    private readonly bufferEntries = LMDB_WRITE_BUFFER_ENTRIES,
  ) {}

  get(key: Buffer): Buffer | undefined {
    if (this.pending.size > 0) {
      const w = this.pending.get(keyString(key));
      if (w !== undefined) return w.value ?? undefined;
    }
    return this.db.getBinary(key);
  }

  put(key: Buffer, value: Buffer): void {
    this.buffer(key, value);
  }

  delete(key: Buffer): void {
    this.buffer(key, null);
  }

  range(
    from: Buffer | undefined,
    to: Buffer | undefined,
    reverse: boolean,
  ): KeyValueIterator<Buffer, Buffer> {
    if (from !== undefined && to !== undefined && Buffer.compare(from, to) > 0) {
      return new StoreIterator<Buffer, Buffer>([][Symbol.iterator]());
    }
    this.commit();
    const options = reverse ? { start: to, reverse: true } : { start: from };
    const source = this.db.getRange(options)[Symbol.iterator]() as Iterator<{ key: Buffer; value: Buffer }>;
    const bounded: Iterator<KeyValue<Buffer, Buffer>> = {
      next: () => {
        const r = source.next();
        if (r.done) return { done: true, value: undefined };
        const { key, value } = r.value;
        if (
          reverse
            ? from !== undefined && Buffer.compare(key, from) < 0
            : to !== undefined && Buffer.compare(key, to) > 0
        ) {
          source.return?.();
          return { done: true, value: undefined };
        }
        return { done: false, value: { key, value } };
      },
      return: () => {
        source.return?.();
        return { done: true, value: undefined };
      },
    };
    const it: KeyValueIterator<Buffer, Buffer> = new StoreIterator(bounded, () =>
      this.openIterators.delete(it),
    );
    this.openIterators.add(it);
    return it;
  }

  forEachInRange(
    from: Buffer | undefined,
    to: Buffer | undefined,
    reverse: boolean,
    visit: (key: Buffer, value: Buffer) => void,
  ): void {
    if (from !== undefined && to !== undefined && Buffer.compare(from, to) > 0) return;
    this.commit();
    // Both bounds go to LMDB's cursor (inclusive), so it stops at the range's end by itself.
    const options: { start?: Buffer; end?: Buffer; reverse?: boolean; inclusiveEnd: boolean } = {
      inclusiveEnd: true,
    };
    const first = reverse ? to : from;
    const last = reverse ? from : to;
    if (first !== undefined) options.start = first;
    if (last !== undefined) options.end = last;
    if (reverse) options.reverse = true;
    for (const { key, value } of this.db.getRange(options) as Iterable<{ key: Buffer; value: Buffer }>)
      visit(key, value);
  }

  count(): number {
    this.commit();
    return (this.db.getStats() as { entryCount: number }).entryCount;
  }

  writeBatch(writes: readonly BytesWrite[]): void {
    this.commit();
    const db = this.db;
    this.env.transactionSync(() => {
      for (const w of writes) {
        if (w.value === null) db.removeSync(w.key);
        else db.putSync(w.key, w.value);
      }
    });
  }

  flush(): void {
    this.commit();
  }

  /** Commits the write buffer and closes the iterators still open (their cursors must not outlive the environment). */
  close(): void {
    for (const it of [...this.openIterators]) it.close();
    this.commit();
  }

  destroy(): void {
    this.pending.clear();
    this.db.dropSync();
  }

  /** True while writes wait in the buffer for a commit. */
  hasPendingWrites(): boolean {
    return this.pending.size > 0;
  }

  /** Commits the write buffer in one transaction (a child transaction inside an open one). */
  commit(): void {
    if (this.pending.size === 0) return;
    const db = this.db;
    const writes = this.pending;
    this.env.transactionSync(() => {
      for (const w of writes.values()) {
        if (w.value === null) db.removeSync(w.key);
        else db.putSync(w.key, w.value);
      }
    });
    writes.clear();
  }

  private buffer(key: Buffer, value: Buffer | null): void {
    const k = keyString(key);
    this.pending.delete(k);
    this.pending.set(k, ownedWrite(key, value));
    if (this.pending.size >= this.bufferEntries) this.commit();
  }
}

/**
 * `key` and `value` copied into one buffer of exactly their size (not from Node's shared pool), so a
 * buffered write keeps alive only its own bytes, whatever larger buffers the arguments are views of.
 */
export function ownedWrite(key: Buffer, value: Buffer | null): BytesWrite {
  const own = Buffer.allocUnsafeSlow(key.length + (value?.length ?? 0));
  key.copy(own, 0);
  if (value === null) return { key: own, value: null };
  value.copy(own, key.length);
  return { key: own.subarray(0, key.length), value: own.subarray(key.length) };
}
