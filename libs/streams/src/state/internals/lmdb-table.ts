import type { Database, RootDatabase } from 'lmdb';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { ProcessorStateError } from '../errors';
import { keyString } from './bytes';
import type { BytesTable, BytesWrite } from './bytes-table';
import {
  lmdbDirectory,
  markLmdbUnsynced,
  syncLmdbEnvironment,
  syncLmdbEnvironmentAsync,
} from './lmdb-environment';
import { StoreIterator } from './store-iterator';

/** Writes buffered in memory before one LMDB transaction commits them. */
export const LMDB_WRITE_BUFFER_ENTRIES = 10_000;

/** Bytes (keys plus values) buffered in memory before one LMDB transaction commits them. */
export const LMDB_WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Longest time a write waits in the buffer: once the oldest buffered write is this old, the buffer is
 * committed at the next write or the next task commit (`flushCache`), whichever comes first, so a
 * failing disk (full: ENOSPC) is met within seconds, not at a checkpoint minutes later.
 */
export const LMDB_WRITE_BUFFER_MAX_DELAY_MS = 5_000;

/** Size of the chunks an {@link LmdbTable}'s write buffer copies small keys and values into. */
export const ARENA_CHUNK_BYTES = 64 * 1024;

/** When an {@link LmdbTable} commits its write buffer: whichever limit is reached first. */
export interface LmdbWriteBufferLimits {
  /** Buffered writes (distinct keys); default {@link LMDB_WRITE_BUFFER_ENTRIES}. */
  readonly entries: number;
  /** Buffered key and value bytes; default {@link LMDB_WRITE_BUFFER_BYTES}. */
  readonly bytes: number;
  /** Age of the oldest buffered write, in ms; default {@link LMDB_WRITE_BUFFER_MAX_DELAY_MS}. */
  readonly maxDelayMs: number;
}

/** The default {@link LmdbWriteBufferLimits}. */
export const LMDB_WRITE_BUFFER_LIMITS: LmdbWriteBufferLimits = {
  entries: LMDB_WRITE_BUFFER_ENTRIES,
  bytes: LMDB_WRITE_BUFFER_BYTES,
  maxDelayMs: LMDB_WRITE_BUFFER_MAX_DELAY_MS,
};

/**
 * A buffered write: its key at `[at, valueAt)` of `chunk` and its value at `[valueAt, end)`, or no
 * value (a delete) when `end < valueAt`. Offsets instead of two views: a buffered write waits up
 * to thousands of writes for its commit, long enough to be promoted to V8's old generation, and
 * one object per write is a third of the objects three would be (views are built at the commit).
 */
interface PendingWrite {
  readonly chunk: Buffer;
  readonly at: number;
  readonly valueAt: number;
  readonly end: number;
}

/** Key and value bytes of a buffered write. */
function pendingSize(w: PendingWrite): number {
  return Math.max(w.end, w.valueAt) - w.at;
}

/**
 * A {@link BytesTable} in one LMDB database (lmdb-js). Reads are synchronous LMDB reads. Writes go to
 * a small in-memory write buffer (read through by `get`) that is committed in one synchronous write
 * transaction when it holds {@link LMDB_WRITE_BUFFER_ENTRIES} writes or {@link LMDB_WRITE_BUFFER_BYTES}
 * bytes, once its oldest write is {@link LMDB_WRITE_BUFFER_MAX_DELAY_MS} old (at the next write or
 * {@link commitIfDue}), on `flush()` and before a range scan: one LMDB commit per put would cost ~10x
 * more. A batch (restore) is one transaction. A commit that fails (a full disk: ENOSPC) throws a
 * {@link ProcessorStateError} naming the LMDB directory and the cause; the writes stay buffered.
 *
 * Durability: these commits do not wait for the disk (the environment is opened `noSync`, see
 * `openLmdbEnvironment`); they are in the file, so a process crash loses none of them, and a
 * range scan reads them, without an `fsync` on the stream thread. Only `flush()`, which precedes
 * every checkpoint, also syncs the environment to disk ({@link syncLmdbEnvironment}): a checkpoint
 * never says the store holds data up to an offset the disk may not have.
 *
 * A buffered write holds copies of its key and value in the table's own memory, never the caller's
 * buffers: those are usually views of something larger (a slot of Node's shared 8 KiB allocation
 * pool, a fetched record batch), and the buffer may keep its writes for seconds, so 10,000 views
 * would keep up to 10,000 pool slabs or fetch responses alive outside the V8 heap. Small writes are
 * copied into 64 KiB arena chunks ({@link ARENA_CHUNK_BYTES}) dropped at the commit (their bytes,
 * earlier copies of rewritten keys included, count towards the byte limit), larger ones into a
 * buffer of their exact size; a read of a buffered value returns a copy.
 */
export class LmdbTable implements BytesTable {
  private readonly pending = new Map<string, PendingWrite>();
  private readonly openIterators = new Set<KeyValueIterator<Buffer, Buffer>>();
  /** Key and value bytes in {@link pending}. */
  private pendingBytes = 0;
  /** The arena chunk buffered writes are copied into now ({@link ownedCopy}), and the bytes used of it. */
  private arena: Buffer | undefined;
  private arenaUsed = 0;
  /** Bytes copied into arena chunks since the last commit (rewritten keys' earlier copies included). */
  private arenaBytes = 0;
  /** Set by {@link dueTimer} once the oldest buffered write is `maxDelayMs` old. */
  private due = false;
  /** Started by the first write into an empty buffer; cleared by a commit. */
  private dueTimer: NodeJS.Timeout | undefined;
  private readonly markDue = (): void => {
    this.dueTimer = undefined;
    this.due = true;
  };

  constructor(
    private readonly env: RootDatabase,
    private readonly db: Database<Buffer, Buffer>,
    private readonly limits: LmdbWriteBufferLimits = LMDB_WRITE_BUFFER_LIMITS,
  ) {}

  get(key: Buffer): Buffer | undefined {
    if (this.pending.size > 0) {
      const w = this.pending.get(keyString(key));
      // a copy: a buffered value is in an arena chunk, which a kept value must not pin
      if (w !== undefined) {
        if (w.end < w.valueAt) return undefined;
        const copy = Buffer.allocUnsafe(w.end - w.valueAt);
        w.chunk.copy(copy, 0, w.valueAt, w.end);
        return copy;
      }
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
    // Both bounds go to LMDB's cursor (inclusive), so it stops at the range's end by itself. The
    // range is read to its end at the call, with no write in between (`visit` must not write), so
    // it needs no snapshot of its own: without one (`snapshot: false`) lmdb-js reads through its
    // shared read transaction, which costs about half the CPU per range and leaves less garbage
    // surviving young collections than a range holding a snapshot (a session lookup per record).
    const options: {
      start?: Buffer;
      end?: Buffer;
      reverse?: boolean;
      inclusiveEnd: boolean;
      snapshot: false;
    } = { inclusiveEnd: true, snapshot: false };
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
    markLmdbUnsynced(this.env);
  }

  /** Commits the write buffer and syncs the environment to disk: the writes are durable on return. */
  flush(): void {
    this.commit();
    syncLmdbEnvironment(this.env);
  }

  /**
   * {@link flush} with the sync off the thread ({@link syncLmdbEnvironmentAsync}): the write buffer
   * is committed at the call, and the writes are durable once the promise resolves.
   */
  flushAsync(): Promise<void> {
    this.commit();
    return syncLmdbEnvironmentAsync(this.env);
  }

  /** Commits the write buffer if its oldest write is `maxDelayMs` old (the task commit calls it). */
  commitIfDue(): void {
    if (this.due) this.commit();
  }

  /** Commits the write buffer and closes the iterators still open (their cursors must not outlive the environment). */
  close(): void {
    for (const it of [...this.openIterators]) it.close();
    try {
      this.commit();
    } finally {
      this.clearPending();
    }
  }

  destroy(): void {
    this.clearPending();
    this.db.dropSync();
    markLmdbUnsynced(this.env);
  }

  /** True while writes wait in the buffer for a commit. */
  hasPendingWrites(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Commits the write buffer in one transaction, without waiting for the disk (`flush()` syncs). On
   * failure the writes stay buffered and a {@link ProcessorStateError} names the directory and the cause.
   */
  commit(): void {
    if (this.pending.size === 0) return;
    commitLmdbTables(this.env, [this]);
  }

  /** Writes the buffered writes into the open write transaction; the buffer stays until {@link clearPending}. */
  writePending(): void {
    const db = this.db;
    for (const w of this.pending.values()) {
      const key = w.chunk.subarray(w.at, w.valueAt);
      if (w.end < w.valueAt) db.removeSync(key);
      else db.putSync(key, w.chunk.subarray(w.valueAt, w.end));
    }
  }

  /** Number of buffered writes. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Drops the write buffer (after its writes were committed, or when the table closes). */
  clearPending(): void {
    this.pending.clear();
    this.pendingBytes = 0;
    // never reused: a chunk is dropped with the writes that view it
    this.arena = undefined;
    this.arenaUsed = 0;
    this.arenaBytes = 0;
    this.due = false;
    if (this.dueTimer !== undefined) {
      clearTimeout(this.dueTimer);
      this.dueTimer = undefined;
    }
  }

  private buffer(key: Buffer, value: Buffer | null): void {
    const k = keyString(key);
    const pending = this.pending;
    const old = pending.get(k);
    // A rewritten key keeps its place (a transaction's puts of distinct keys commute): replaced in
    // place, without a delete (a delete leaves a hole the map compacts later).
    if (old !== undefined) this.pendingBytes -= pendingSize(old);
    else if (pending.size === 0) {
      this.dueTimer = setTimeout(this.markDue, this.limits.maxDelayMs);
      this.dueTimer.unref();
    }
    const w = this.ownedCopy(key, value);
    pending.set(k, w);
    this.pendingBytes += key.length + (value?.length ?? 0);
    if (
      this.due ||
      pending.size >= this.limits.entries ||
      this.pendingBytes >= this.limits.bytes ||
      this.arenaBytes >= this.limits.bytes
    )
      this.commit();
  }

  /**
   * `key` and `value` copied into the write buffer's current arena chunk ({@link ARENA_CHUNK_BYTES},
   * this table's own memory, dropped at the commit: never a caller's buffer kept alive), or, if
   * larger than a quarter chunk, into a buffer of their own. One chunk per
   * many writes instead of a buffer each: a buffer of its own is an off-heap allocation that the
   * garbage collector has to track and free, per write.
   */
  private ownedCopy(key: Buffer, value: Buffer | null): PendingWrite {
    const n = key.length + (value === null ? 0 : value.length);
    if (n > ARENA_CHUNK_BYTES / 4) {
      const own = Buffer.allocUnsafeSlow(n);
      key.copy(own, 0);
      if (value === null) return { chunk: own, at: 0, valueAt: key.length, end: -1 };
      value.copy(own, key.length);
      return { chunk: own, at: 0, valueAt: key.length, end: n };
    }
    let arena = this.arena;
    if (arena === undefined || this.arenaUsed + n > arena.length) {
      arena = this.arena = Buffer.allocUnsafeSlow(ARENA_CHUNK_BYTES);
      this.arenaUsed = 0;
    }
    const at = this.arenaUsed;
    const valueAt = at + key.length;
    key.copy(arena, at);
    this.arenaUsed = at + n;
    this.arenaBytes += n;
    if (value === null) return { chunk: arena, at, valueAt, end: -1 };
    value.copy(arena, valueAt);
    return { chunk: arena, at, valueAt, end: at + n };
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

/**
 * Commits the write buffers of `tables` (all in `env`) in one write transaction, without waiting for
 * the disk. Only once the transaction committed are the buffers dropped: on failure (a full disk:
 * ENOSPC) every write stays buffered and a {@link ProcessorStateError} names the directory and the cause.
 */
export function commitLmdbTables(env: RootDatabase, tables: readonly LmdbTable[]): void {
  let writes = 0;
  for (const t of tables) writes += t.pendingCount;
  if (writes === 0) return;
  try {
    env.transactionSync(() => {
      for (const t of tables) t.writePending();
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ProcessorStateError(
      `committing ${writes} buffered writes to the LMDB store at ${lmdbDirectory(env)} failed: ${reason}`,
      { cause },
    );
  }
  markLmdbUnsynced(env);
  for (const t of tables) t.clearPending();
}
