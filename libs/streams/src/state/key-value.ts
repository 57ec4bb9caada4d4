/** A key and its value, as returned by store iterators. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

/**
 * An iterator over store entries. It holds resources (a read snapshot or a database cursor):
 * close it when done. Running it to its end or leaving a `for...of` loop closes it too.
 */
export interface KeyValueIterator<K, V> extends IterableIterator<KeyValue<K, V>> {
  /** True if another entry follows. */
  hasNext(): boolean;
  /** The key of the next entry without consuming it; `undefined` at the end. */
  peekNextKey(): K | undefined;
  /** Releases the iterator's resources. Idempotent. */
  close(): void;
}
