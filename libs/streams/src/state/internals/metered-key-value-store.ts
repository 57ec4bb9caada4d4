import type { Registry } from 'prom-client';
import type { StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import type { KeyValueStore } from '../key-value-store';
import type { Serde, Serializer } from '../../serialization/serde';
import { StateSerdes } from './state-serdes';
import { CachingKeyValueStore } from './caching-key-value-store';
import { changelogTopicName } from './forwarding-context';
import { metricsRegistryOf, RestoreTimingContext, storeLatencyRecorded } from './metrics-context';
import { StateStoreMetrics, type StateStoreOperation, type StoreMetricHandles } from './state-store-metrics';
import { mapIterator } from './store-iterator';
import { BYTES_SERIALIZER, serializePrefix, type KeyValueBytesStore } from './table-key-value-store';

/** Receives records leaving a caching store, deserialized (see {@link MeteredKeyValueStore.setFlushListener}). */
export type FlushListener<K, V> = (
  key: K,
  newValue: V | null,
  oldValue: V | null | undefined,
  timestamp: number,
) => void;

/**
 * Kafka Streams' `MeteredKeyValueStore`: the outermost layer. Serializes keys and values with the
 * store's serdes (the changelog topic is the serdes' topic argument) and records the latency of each
 * call. Metric labels are the store's type and name only, never keys or values.
 */
export class MeteredKeyValueStore<K, V> implements KeyValueStore<K, V> {
  private metrics: StoreMetricHandles | undefined;
  /** Whether operations are timed (recording level `DEBUG`). */
  private timed = true;
  private serdes: StateSerdes<K, V>;
  private readonly openIterators = new Set<KeyValueIterator<unknown, unknown>>();

  constructor(
    readonly inner: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly registry?: Registry,
  ) {
    StateSerdes.validate(keySerde, 'keySerde', inner.name);
    StateSerdes.validate(valueSerde, 'valueSerde', inner.name);
    this.serdes = new StateSerdes(inner.name, inner.name, keySerde, valueSerde);
  }

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.serdes = new StateSerdes(
      changelogTopicName(context.applicationId, this.name),
      this.name,
      this.keySerde,
      this.valueSerde,
    );
    this.timed = storeLatencyRecorded(context);
    const metrics = StateStoreMetrics.of(metricsRegistryOf(context, this.registry)).forStore(
      this.inner.storeType,
      this.name,
      this.timed,
    );
    this.metrics = metrics;
    return this.inner.init(new RestoreTimingContext(context, metrics), root);
  }

  isOpen(): boolean {
    return this.metrics !== undefined && this.inner.isOpen();
  }

  /**
   * Sets the listener for records leaving the cache (the KTable forwarding hook). Returns `false`,
   * and sets nothing, if the store has no caching layer: the caller then forwards each write itself.
   */
  setFlushListener(listener: FlushListener<K, V>, sendOldValues = false): boolean {
    if (!(this.inner instanceof CachingKeyValueStore)) return false;
    this.inner.setFlushListener(
      (key, newValue, oldValue, timestamp) =>
        listener(
          this.serdes.keyFrom(key),
          newValue === null ? null : this.serdes.valueFrom(newValue),
          oldValue === undefined ? (sendOldValues ? null : undefined) : this.serdes.valueFrom(oldValue),
          timestamp,
        ),
      sendOldValues,
    );
    return true;
  }

  get(key: K): V | undefined {
    const start = performance.now();
    const value = this.inner.get(this.serializeKey(key));
    const result = value === undefined ? undefined : this.serdes.valueFrom(value);
    this.observe('get', start);
    return result;
  }

  put(key: K, value: V | null): void {
    const start = performance.now();
    this.inner.put(this.serializeKey(key), this.serializeValue(value));
    this.observe('put', start);
  }

  putIfAbsent(key: K, value: V | null): V | undefined {
    const start = performance.now();
    const previous = this.inner.putIfAbsent(this.serializeKey(key), this.serializeValue(value));
    const result = previous === undefined ? undefined : this.serdes.valueFrom(previous);
    this.observe('put_if_absent', start);
    return result;
  }

  putAll(entries: Iterable<KeyValue<K, V | null>>): void {
    const start = performance.now();
    const bytes: KeyValue<Buffer, Buffer | null>[] = [];
    for (const e of entries)
      bytes.push({ key: this.serializeKey(e.key), value: this.serializeValue(e.value) });
    this.inner.putAll(bytes);
    this.observe('put_all', start);
  }

  delete(key: K): V | undefined {
    const start = performance.now();
    const old = this.inner.delete(this.serializeKey(key));
    const result = old === undefined ? undefined : this.serdes.valueFrom(old);
    this.observe('delete', start);
    return result;
  }

  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.timedIterator('range', () => this.inner.range(this.optionalKey(from), this.optionalKey(to)));
  }

  reverseRange(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.timedIterator('range', () =>
      this.inner.reverseRange(this.optionalKey(from), this.optionalKey(to)),
    );
  }

  prefixScan<P>(prefix: P, prefixSerializer: Serializer<P>): KeyValueIterator<K, V> {
    const bytes = serializePrefix(prefixSerializer, this.serdes.topic, prefix, this.name);
    return this.timedIterator('prefix_scan', () => this.inner.prefixScan(bytes, BYTES_SERIALIZER));
  }

  all(): KeyValueIterator<K, V> {
    return this.timedIterator('all', () => this.inner.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.timedIterator('all', () => this.inner.reverseAll());
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  /** Flushes the layers below; synchronous unless a layer below is asynchronous. */
  flush(): void | Promise<void> {
    const start = performance.now();
    const flushed = this.inner.flush();
    if (flushed instanceof Promise) return flushed.then(() => this.observe('flush', start));
    this.observe('flush', start);
  }

  /** Closes the iterators still open on this store, then the store. */
  async close(): Promise<void> {
    for (const it of [...this.openIterators]) it.close();
    await this.inner.close();
  }

  private timedIterator(
    op: StateStoreOperation,
    open: () => KeyValueIterator<Buffer, Buffer>,
  ): KeyValueIterator<K, V> {
    const start = performance.now();
    const metrics = this.requireMetrics();
    const bytes = open();
    metrics.openIterators.inc();
    const it: KeyValueIterator<K, V> = mapIterator<Buffer, Buffer, K, V>(
      bytes,
      (e) => ({ key: this.serdes.keyFrom(e.key), value: this.serdes.valueFrom(e.value) }),
      () => {
        metrics.openIterators.dec();
        this.openIterators.delete(it);
      },
      this.name,
    );
    this.openIterators.add(it);
    this.observe(op, start);
    return it;
  }

  private serializeKey(key: K): Buffer {
    return this.serdes.rawKey(key);
  }

  private optionalKey(key: K | undefined): Buffer | undefined {
    return key === undefined || key === null ? undefined : this.serdes.rawKey(key);
  }

  private serializeValue(value: V | null): Buffer | null {
    return this.serdes.rawValue(value);
  }

  private observe(op: StateStoreOperation, start: number): void {
    if (!this.timed) return;
    this.requireMetrics().latency[op].observe((performance.now() - start) / 1000);
  }

  private requireMetrics(): StoreMetricHandles {
    const m = this.metrics;
    if (m === undefined) throw new InvalidStateStoreError(`store ${this.name} is not initialized`);
    return m;
  }
}
