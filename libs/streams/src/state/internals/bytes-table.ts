import type { KeyValueIterator } from '../key-value';

/** One write of a batch: a `null` value deletes the key. */
export interface BytesWrite {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

/**
 * The storage engine under a bytes store or a window/session segment: a sorted map of
 * byte keys (unsigned lexicographic order) to byte values, with synchronous operations.
 */
export interface BytesTable {
  get(key: Buffer): Buffer | undefined;
  put(key: Buffer, value: Buffer): void;
  delete(key: Buffer): void;
  /**
   * Entries with `from <= key <= to` (either bound open if `undefined`), ascending, or descending
   * when `reverse`. The iterator reads a consistent snapshot.
   */
  range(from: Buffer | undefined, to: Buffer | undefined, reverse: boolean): KeyValueIterator<Buffer, Buffer>;
  /**
   * Calls `visit` with each entry of {@link range}'s, in the same order, at once and without an
   * iterator (the lookups of one key a windowed store makes per record). `visit` must not write to
   * the table. Optional: without it, callers go through {@link range}.
   */
  forEachInRange?(
    from: Buffer | undefined,
    to: Buffer | undefined,
    reverse: boolean,
    visit: (key: Buffer, value: Buffer) => void,
  ): void;
  /** Number of entries (exact or close). */
  count(): number;
  /** Applies writes in one go (one transaction for disk engines): the restore fast path. */
  writeBatch(writes: readonly BytesWrite[]): void;
  /** Makes buffered writes durable. */
  flush(): void;
  /**
   * {@link flush} for a disk engine whose wait for the disk need not block the thread: the writes
   * are durable once the promise resolves. Optional: without it, callers use {@link flush}.
   */
  flushAsync?(): Promise<void>;
  /** Makes buffered writes durable if they waited their longest allowed delay (disk engines). */
  commitIfDue?(): void;
  close(): void;
  /** Deletes every entry and releases the table's storage. */
  destroy(): void;
}
