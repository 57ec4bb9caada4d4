import type { Serializer } from '../../serialization/serde';
import type { KeyValue, KeyValueIterator } from '../key-value';
import type { KeyValueStore } from '../key-value-store';
import { MeteredStore } from './metered-store';
import { BYTES_SERIALIZER, serializePrefix, type KeyValueBytesStore } from './table-key-value-store';

export type { FlushListener } from '../cached-state-store';

/**
 * Kafka Streams' `MeteredKeyValueStore`: the outermost key-value layer (serdes, latency metrics,
 * open iterators; see {@link MeteredStore}).
 */
export class MeteredKeyValueStore<K, V>
  extends MeteredStore<K, V, KeyValueBytesStore, Buffer, K>
  implements KeyValueStore<K, V>
{
  protected outerKey(key: Buffer): K {
    return this.deserializeKey(key);
  }

  get(key: K): V | undefined {
    const start = this.startTime();
    const result = this.deserializeValue(this.inner.get(this.serializeKey(key)));
    this.observe('get', start);
    return result;
  }

  /**
   * Reads `key` through the layers below as {@link get} does, without deserializing the value: a
   * caching layer below moves a cached key to the head of its LRU order, or brings a row found only
   * in the store below into the cache as a clean entry (which may evict). For a caller that needs
   * the read's effect on the cache but not the value (Kafka Streams' `KTableSource`, whose old value
   * is not forwarded with caching on). Timed as a `get`. True when the key has a value.
   */
  readThrough(key: K): boolean {
    const start = this.startTime();
    const found = this.inner.get(this.serializeKey(key)) !== undefined;
    this.observe('get', start);
    return found;
  }

  put(key: K, value: V | null): void {
    const start = this.startTime();
    this.inner.put(this.serializeKey(key), this.serializeValue(value));
    this.observe('put', start);
  }

  putIfAbsent(key: K, value: V | null): V | undefined {
    const start = this.startTime();
    const previous = this.inner.putIfAbsent(this.serializeKey(key), this.serializeValue(value));
    const result = this.deserializeValue(previous);
    this.observe('put_if_absent', start);
    return result;
  }

  putAll(entries: Iterable<KeyValue<K, V | null>>): void {
    const start = this.startTime();
    const bytes: KeyValue<Buffer, Buffer | null>[] = [];
    for (const e of entries)
      bytes.push({ key: this.serializeKey(e.key), value: this.serializeValue(e.value) });
    this.inner.putAll(bytes);
    this.observe('put_all', start);
  }

  delete(key: K): V | undefined {
    const start = this.startTime();
    const result = this.deserializeValue(this.inner.delete(this.serializeKey(key)));
    this.observe('delete', start);
    return result;
  }

  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.iterator('range', () => this.inner.range(this.optionalKey(from), this.optionalKey(to)));
  }

  reverseRange(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.iterator('range', () =>
      this.inner.reverseRange(this.optionalKey(from), this.optionalKey(to)),
    );
  }

  prefixScan<P>(prefix: P, prefixSerializer: Serializer<P>): KeyValueIterator<K, V> {
    const bytes = serializePrefix(prefixSerializer, this.serdes.topic, prefix, this.name);
    return this.iterator('prefix_scan', () => this.inner.prefixScan(bytes, BYTES_SERIALIZER));
  }

  all(): KeyValueIterator<K, V> {
    return this.iterator('all', () => this.inner.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.iterator('all', () => this.inner.reverseAll());
  }

  private iterator(
    op: 'range' | 'prefix_scan' | 'all',
    open: () => KeyValueIterator<Buffer, Buffer>,
  ): KeyValueIterator<K, V> {
    return this.timedIterator(op, open, (e) => ({
      key: this.serdes.keyFrom(e.key),
      value: this.serdes.valueFrom(e.value),
    }));
  }
}
