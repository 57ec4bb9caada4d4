import type { Registry } from 'prom-client';
import type { StateStore, StateStoreContext } from '../../processor/state-store';
import type { Serde } from '../../serialization/serde';
import { boundSerdeOf, isStringSerde } from '../../serialization/serdes';
import type { CachedStateStore, FlushListener } from '../cached-state-store';
import { InvalidStateStoreError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { CachingStore } from './caching-store';
import { changelogTopicName } from './forwarding-context';
import { metricsRegistryOf, RestoreTimingContext, storeLatencyRecorded } from './metrics-context';
import { StateSerdes } from './state-serdes';
import { StateStoreMetrics, type StateStoreOperation, type StoreMetricHandles } from './state-store-metrics';
import { mapIterator, StoreIterator } from './store-iterator';
import { LastDecodedKey } from './last-decoded-key';
import { stringKeyBytes, stringKeyOf } from './string-key-bytes';
import { WrappedStateStore, type LayeredStore } from './wrapped-state-store';

/**
 * Base of the metered layers (Kafka Streams' `MeteredKeyValueStore`, `MeteredWindowStore`,
 * `MeteredSessionStore`): the outermost layer. Serializes keys and values with the store's serdes
 * (the changelog topic is the serdes' topic argument), records the latency of each call and counts
 * open iterators. Metric labels are the store's type and name only, never keys or values.
 *
 * `KB` is the key type of the layers below (`Buffer` or `Windowed<Buffer>`), `KO` the one users see.
 */
export abstract class MeteredStore<K, V, S extends LayeredStore, KB, KO>
  extends WrappedStateStore<S>
  implements CachedStateStore<KO, V>
{
  private metrics: StoreMetricHandles | undefined;
  /** Whether operations are timed (recording level `DEBUG`). */
  private timed = true;
  protected serdes: StateSerdes<K, V>;
  /** Whether the key serde is the built-in String serde (known at the first string key; see {@link serializeKey}). */
  private stringSerde: boolean | undefined;
  /** The last key decoded from bytes of the layers below (String serde only; see {@link deserializeKey}). */
  private readonly lastDecoded = new LastDecodedKey();
  private readonly openIterators = new Set<KeyValueIterator<unknown, unknown>>();

  constructor(
    inner: S,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly registry?: Registry,
  ) {
    super(inner);
    StateSerdes.validate(keySerde, 'keySerde', inner.name);
    StateSerdes.validate(valueSerde, 'valueSerde', inner.name);
    this.serdes = new StateSerdes(inner.name, inner.name, keySerde, valueSerde);
  }

  override init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.stringSerde = undefined;
    this.lastDecoded.clear();
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

  override isOpen(): boolean {
    return this.metrics !== undefined && this.inner.isOpen();
  }

  /**
   * Sets the listener for records leaving the cache (the KTable forwarding hook). Returns `false`,
   * and sets nothing, if the store has no caching layer: the caller then forwards each write itself.
   */
  setFlushListener(listener: FlushListener<KO, V>, sendOldValues = false): boolean {
    const inner: LayeredStore = this.inner;
    if (!(inner instanceof CachingStore)) return false;
    (inner as CachingStore<S, KB>).setFlushListener(
      (key, newValue, oldValue, timestamp, headers) =>
        listener(
          this.outerKey(key),
          newValue === null ? null : this.serdes.valueFrom(newValue),
          oldValue === undefined ? (sendOldValues ? null : undefined) : this.serdes.valueFrom(oldValue),
          timestamp,
          headers ?? {},
        ),
      sendOldValues,
    );
    return true;
  }

  /** The user's key for a key of the layers below. */
  protected abstract outerKey(key: KB): KO;

  /** Flushes the layers below; synchronous unless a layer below is asynchronous. */
  override flush(): void | Promise<void> {
    const start = this.startTime();
    const flushed = this.inner.flush();
    if (flushed instanceof Promise) return flushed.then(() => this.observe('flush', start));
    this.observe('flush', start);
  }

  /** Closes the iterators still open on this store, then the store. */
  override async close(): Promise<void> {
    for (const it of [...this.openIterators]) it.close();
    await this.inner.close();
  }

  /**
   * The key's bytes. With the built-in String serde (whose bytes do not depend on the topic) a
   * string key's bytes come from {@link stringKeyBytes}: a key equal to one of the last few encoded
   * gets the same bytes again (a windowed aggregation reads and writes several windows of one key
   * per record, and other stores see the same key for the same record). Strings are immutable and
   * the layers below only read key bytes, never change them.
   */
  protected serializeKey(key: K): Buffer {
    return typeof key === 'string' && this.isStringSerde() ? stringKeyBytes(key) : this.serdes.rawKey(key);
  }

  /**
   * The latin1 string of `bytes`, the key's bytes ({@link serializeKey}), when the key itself is that
   * string: a String-serde key of ASCII characters only (its UTF-8 bytes are as many as its
   * characters), so the layers below need not decode the bytes again; else `undefined`.
   */
  protected latin1KeyOf(key: K, bytes: Buffer): string | undefined {
    return typeof key === 'string' && key.length === bytes.length && this.isStringSerde() ? key : undefined;
  }

  /** Whether the key serde is (bound to) the built-in String serde; decided once it is bound. */
  private isStringSerde(): boolean {
    if (this.stringSerde === undefined) {
      const bound = boundSerdeOf(this.keySerde);
      if (bound === undefined) return false;
      this.stringSerde = isStringSerde(bound);
    }
    return this.stringSerde;
  }

  /**
   * The key for bytes from the layers below. With the built-in String serde: the key
   * {@link stringKeyBytes} encoded into these very bytes if it still remembers it, else the last
   * decoded key when they equal its bytes (a flush writes the windows of one key in a row: one
   * string for them, not one per window).
   */
  protected deserializeKey(bytes: Buffer): K {
    if (!this.isStringSerde()) return this.serdes.keyFrom(bytes);
    const encoded = stringKeyOf(bytes);
    if (encoded !== undefined) return encoded as K;
    const last = this.lastDecoded.get(bytes);
    if (last !== undefined) return last as K;
    const key = this.serdes.keyFrom(bytes) as string;
    this.lastDecoded.set(bytes, key);
    return key as K;
  }

  /** `undefined` (and `null`) mean "unbounded" in range arguments. */
  protected optionalKey(key: K | undefined): Buffer | undefined {
    return key === undefined || key === null ? undefined : this.serdes.rawKey(key);
  }

  protected serializeValue(value: V | null): Buffer | null {
    return this.serdes.rawValue(value);
  }

  protected deserializeValue(value: Buffer | undefined): V | undefined {
    return value === undefined ? undefined : this.serdes.valueFrom(value);
  }

  /** Opens an iterator of the layers below, maps its entries, and counts it as open until closed. */
  protected timedIterator<K1, K2>(
    op: StateStoreOperation,
    open: () => KeyValueIterator<K1, Buffer>,
    map: (e: KeyValue<K1, Buffer>) => KeyValue<K2, V>,
  ): KeyValueIterator<K2, V> {
    const start = this.startTime();
    const bytes = open();
    return this.registerIterator(op, start, (onClose) => mapIterator(bytes, map, onClose, this.name));
  }

  /**
   * An iterator over entries read at once from the layers below (a snapshot), counted as open until
   * closed as {@link timedIterator}'s; `start` is the call's {@link startTime}.
   */
  protected openArrayIterator<K2>(
    op: StateStoreOperation,
    start: number,
    entries: KeyValue<K2, V>[],
  ): KeyValueIterator<K2, V> {
    return this.registerIterator(
      op,
      start,
      (onClose) => new StoreIterator(entries[Symbol.iterator](), onClose, this.name),
    );
  }

  /** Counts the iterator `make` builds as open until its close (`onClose`), and records the call's latency. */
  private registerIterator<K2>(
    op: StateStoreOperation,
    start: number,
    make: (onClose: () => void) => KeyValueIterator<K2, V>,
  ): KeyValueIterator<K2, V> {
    const metrics = this.requireMetrics();
    metrics.openIterators.inc();
    const it = make(() => {
      metrics.openIterators.dec();
      this.openIterators.delete(it);
    });
    this.openIterators.add(it);
    this.observe(op, start);
    return it;
  }

  /** Records a put's latency, and a dropped record when the layer below refused a live write (expired window). */
  protected recordPut(
    start: number,
    written: Buffer | undefined,
    value: V | null,
    op: StateStoreOperation = 'put',
  ): void {
    if (written === undefined && value !== null && value !== undefined)
      this.requireMetrics().droppedRecords.inc();
    this.observe(op, start);
  }

  /** The start of a timed call: `performance.now()` when latencies are recorded, else 0 (no clock read per call). */
  protected startTime(): number {
    return this.timed ? performance.now() : 0;
  }

  protected observe(op: StateStoreOperation, start: number): void {
    if (!this.timed) return;
    this.requireMetrics().latency[op].observe((performance.now() - start) / 1000);
  }

  protected requireMetrics(): StoreMetricHandles {
    const m = this.metrics;
    if (m === undefined) throw new InvalidStateStoreError(`store ${this.name} is not initialized`);
    return m;
  }
}
