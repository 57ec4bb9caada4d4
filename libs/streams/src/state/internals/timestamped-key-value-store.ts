import type { StateStore, StateStoreContext } from '../../processor/state-store';
import type { Headers, Serializer } from '../../serialization/serde';
import type { KeyValue, KeyValueIterator } from '../key-value';
import type { KeyValueStore } from '../key-value-store';
import type { ValueAndTimestamp } from '../value-and-timestamp';
import type { CachedStateStore } from '../cached-state-store';
import { MeteredKeyValueStore } from './metered-key-value-store';
import { mapIterator } from './store-iterator';

/**
 * Receives a timestamped store's records as they leave its cache (old value `null` when absent),
 * with the headers of the record that wrote them.
 */
export type TimestampedFlushListener<K, V> = (
  key: K,
  newValue: ValueAndTimestamp<V> | null,
  oldValue: ValueAndTimestamp<V> | null,
  timestamp: number,
  headers: Headers,
) => void;

/**
 * A key-value store whose values carry the timestamp of the record that wrote them (Kafka Streams'
 * `TimestampedKeyValueStore`), as the DSL's tables and aggregations use. Queries through the
 * {@link KeyValueStore} methods see plain values (Kafka Streams' read-only facade); the DSL's
 * processors use {@link getWithTimestamp}/{@link putWithTimestamp}. Bytes: 8-byte timestamp, then the value.
 */
export class TimestampedKeyValueStore<K, V> implements KeyValueStore<K, V> {
  private context: StateStoreContext | undefined;

  constructor(
    readonly inner: KeyValueStore<K, ValueAndTimestamp<V>> & CachedStateStore<K, ValueAndTimestamp<V>>,
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.context = context;
    return this.inner.init(context, root);
  }
  flush(): void | Promise<void> {
    return this.inner.flush();
  }
  flushCache(): void | Promise<void> {
    return this.inner.flushCache?.();
  }
  close(): void | Promise<void> {
    return this.inner.close();
  }
  isOpen(): boolean {
    return this.inner.isOpen();
  }

  /**
   * Sets the listener for records leaving the cache; `false` (nothing set) when caching is off,
   * and the caller then forwards every write itself.
   */
  setFlushListener(listener: TimestampedFlushListener<K, V>, sendOldValues: boolean): boolean {
    return this.inner.setFlushListener(
      (key, newValue, oldValue, timestamp, headers) =>
        listener(key, newValue, oldValue ?? null, timestamp, headers),
      sendOldValues,
    );
  }

  getWithTimestamp(key: K): ValueAndTimestamp<V> | null {
    return this.inner.get(key) ?? null;
  }

  /**
   * Reads `key` as {@link getWithTimestamp} does, for the read's effect on the record cache only
   * (see `MeteredKeyValueStore.readThrough`): the value is not deserialized.
   */
  readThrough(key: K): void {
    const inner = this.inner;
    if (inner instanceof MeteredKeyValueStore) inner.readThrough(key);
    else inner.get(key);
  }

  /** Puts `value` written at `timestamp`; `null` deletes the key. */
  putWithTimestamp(key: K, value: V | null, timestamp: number): void {
    this.inner.put(key, value === null || value === undefined ? null : { value, timestamp });
  }

  get(key: K): V | undefined {
    return this.inner.get(key)?.value;
  }
  put(key: K, value: V | null): void {
    this.putWithTimestamp(key, value, this.context?.currentTimestamp() ?? -1);
  }
  putIfAbsent(key: K, value: V | null): V | undefined {
    const existing = this.get(key);
    if (existing === undefined) this.put(key, value);
    return existing;
  }
  putAll(entries: Iterable<KeyValue<K, V | null>>): void {
    for (const e of entries) this.put(e.key, e.value);
  }
  delete(key: K): V | undefined {
    return this.inner.delete(key)?.value;
  }
  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return plain(this.inner.range(from, to));
  }
  reverseRange(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return plain(this.inner.reverseRange(from, to));
  }
  prefixScan<P>(prefix: P, prefixSerializer: Serializer<P>): KeyValueIterator<K, V> {
    return plain(this.inner.prefixScan(prefix, prefixSerializer));
  }
  all(): KeyValueIterator<K, V> {
    return plain(this.inner.all());
  }
  reverseAll(): KeyValueIterator<K, V> {
    return plain(this.inner.reverseAll());
  }
  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
}

function plain<K, V>(it: KeyValueIterator<K, ValueAndTimestamp<V>>): KeyValueIterator<K, V> {
  return mapIterator(it, (e) => ({ key: e.key, value: e.value.value }));
}
