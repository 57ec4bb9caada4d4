import type { StateStore } from '../processor/state-store';
import type { Serializer } from '../serialization/serde';
import type { KeyValue, KeyValueIterator } from './key-value';

/** Read operations on a key-value store; what interactive queries see (Kafka Streams' `ReadOnlyKeyValueStore`). */
export interface ReadOnlyKeyValueStore<K, V> {
  /** The value for `key`, or `undefined` if there is none. */
  get(key: K): V | undefined;
  /**
   * Entries with `from <= key <= to` in ascending key-byte order. An `undefined` bound is open.
   * Returns an empty iterator if `from` is greater than `to`.
   */
  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V>;
  /** As {@link range}, in descending key-byte order. */
  reverseRange(from: K | undefined, to: K | undefined): KeyValueIterator<K, V>;
  /** Every entry whose serialized key starts with the serialized `prefix`, ascending. */
  prefixScan<P>(prefix: P, prefixSerializer: Serializer<P>): KeyValueIterator<K, V>;
  /** Every entry, ascending. */
  all(): KeyValueIterator<K, V>;
  /** Every entry, descending. */
  reverseAll(): KeyValueIterator<K, V>;
  /** An estimate of the number of entries (exact for in-memory stores). */
  approximateNumEntries(): number;
}

/** A read-write key-value store (Kafka Streams' `KeyValueStore`). Operations are synchronous. */
export interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {
  /** Sets `key` to `value`; a `null` value deletes the key (a tombstone). */
  put(key: K, value: V | null): void;
  /** Puts only if `key` has no value; returns the existing value, or `undefined` if it put. */
  putIfAbsent(key: K, value: V | null): V | undefined;
  /** Puts every entry, in order. */
  putAll(entries: Iterable<KeyValue<K, V | null>>): void;
  /** Deletes `key`; returns the old value, or `undefined`. */
  delete(key: K): V | undefined;
}
