import type { Registry } from 'prom-client';
import type { StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import type { Serde } from '../../serialization/serde';
import { StateSerdes } from './state-serdes';
import type { Windowed } from '../window';
import type { SessionStore } from '../session-store';
import type { WindowStore, WindowStoreIterator } from '../window-store';
import { CachingSessionStore, CachingWindowStore } from './caching-window-store';
import { changelogTopicName } from './forwarding-context';
import { metricsRegistryOf, RestoreTimingContext, storeLatencyRecorded } from './metrics-context';
import { StateStoreMetrics, type StateStoreOperation, type StoreMetricHandles } from './state-store-metrics';
import { mapIterator } from './store-iterator';
import type { SessionBytesStore, WindowBytesStore } from './window-bytes-store';

/** Shared serde and metrics plumbing of the metered window and session layers. */
abstract class MeteredSegmentedStore<K, V, S extends WindowBytesStore | SessionBytesStore> {
  protected metrics: StoreMetricHandles | undefined;
  /** Whether operations are timed (recording level `DEBUG`). */
  private timed = true;
  protected serdes: StateSerdes<K, V>;
  private readonly openIterators = new Set<KeyValueIterator<unknown, unknown>>();

  constructor(
    readonly inner: S,
    protected readonly keySerde: Serde<K>,
    protected readonly valueSerde: Serde<V>,
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
  get retentionMs(): number {
    return this.inner.retentionMs;
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

  /**
   * Sets the listener for records leaving the cache (windowed KTable forwarding). Returns `false`,
   * and sets nothing, if the store has no caching layer.
   */
  setFlushListener(listener: WindowedFlushListener<K, V>, sendOldValues = false): boolean {
    const inner: unknown = this.inner;
    if (!(inner instanceof CachingWindowStore || inner instanceof CachingSessionStore)) return false;
    inner.setFlushListener(
      (key, newValue, oldValue, timestamp) =>
        listener(
          { key: this.serdes.keyFrom(key.key), window: key.window },
          newValue === null ? null : this.serdes.valueFrom(newValue),
          oldValue === undefined ? (sendOldValues ? null : undefined) : this.serdes.valueFrom(oldValue),
          timestamp,
        ),
      sendOldValues,
    );
    return true;
  }

  protected serializeKey(key: K): Buffer {
    return this.serdes.rawKey(key);
  }

  protected serializeValue(value: V | null): Buffer | null {
    return this.serdes.rawValue(value);
  }

  protected deserializeValue(value: Buffer | undefined): V | undefined {
    return value === undefined ? undefined : this.serdes.valueFrom(value);
  }

  protected windowedEntry(e: KeyValue<Windowed<Buffer>, Buffer>): KeyValue<Windowed<K>, V> {
    return {
      key: { key: this.serdes.keyFrom(e.key.key), window: e.key.window },
      value: this.serdes.valueFrom(e.value),
    };
  }

  protected timedIterator<K1, K2>(
    op: StateStoreOperation,
    open: () => KeyValueIterator<K1, Buffer>,
    map: (e: KeyValue<K1, Buffer>) => KeyValue<K2, V>,
  ): KeyValueIterator<K2, V> {
    const start = performance.now();
    const metrics = this.requireMetrics();
    const bytes = open();
    metrics.openIterators.inc();
    const it: KeyValueIterator<K2, V> = mapIterator(
      bytes,
      map,
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

/** Receives windowed records leaving a caching window or session store, deserialized. */
export type WindowedFlushListener<K, V> = (
  key: Windowed<K>,
  newValue: V | null,
  oldValue: V | null | undefined,
  timestamp: number,
) => void;

/** Kafka Streams' `MeteredWindowStore`: the outermost window store layer (serdes, metrics). */
export class MeteredWindowStore<K, V>
  extends MeteredSegmentedStore<K, V, WindowBytesStore>
  implements WindowStore<K, V>
{
  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }

  put(key: K, value: V | null, windowStartTime: number): void {
    const start = performance.now();
    const written = this.inner.put(this.serializeKey(key), this.serializeValue(value), windowStartTime);
    this.recordPut(start, written, value);
  }

  fetch(key: K, windowStartTime: number): V | undefined {
    const start = performance.now();
    const result = this.deserializeValue(this.inner.fetch(this.serializeKey(key), windowStartTime));
    this.observe('fetch', start);
    return result;
  }

  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V> {
    const k = this.serializeKey(key);
    return this.timedIterator(
      'fetch',
      () => this.inner.fetchRange(k, timeFrom, timeTo, false),
      (e) => ({
        key: e.key,
        value: this.serdes.valueFrom(e.value),
      }),
    );
  }

  backwardFetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V> {
    const k = this.serializeKey(key);
    return this.timedIterator(
      'fetch',
      () => this.inner.fetchRange(k, timeFrom, timeTo, true),
      (e) => ({
        key: e.key,
        value: this.serdes.valueFrom(e.value),
      }),
    );
  }

  fetchKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V> {
    const from = keyFrom === undefined || keyFrom === null ? undefined : this.serializeKey(keyFrom);
    const to = keyTo === undefined || keyTo === null ? undefined : this.serializeKey(keyTo);
    return this.timedIterator(
      'fetch',
      () => this.inner.fetchKeyRange(from, to, timeFrom, timeTo, false),
      (e) => this.windowedEntry(e),
    );
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.timedIterator(
      'fetch',
      () => this.inner.fetchAll(timeFrom, timeTo, false),
      (e) => this.windowedEntry(e),
    );
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.timedIterator(
      'all',
      () => this.inner.all(false),
      (e) => this.windowedEntry(e),
    );
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
}

/** Kafka Streams' `MeteredSessionStore`: the outermost session store layer (serdes, metrics). */
export class MeteredSessionStore<K, V>
  extends MeteredSegmentedStore<K, V, SessionBytesStore>
  implements SessionStore<K, V>
{
  put(sessionKey: Windowed<K>, aggregate: V | null): void {
    const start = performance.now();
    const written = this.inner.put(
      { key: this.serializeKey(sessionKey.key), window: sessionKey.window },
      this.serializeValue(aggregate),
    );
    this.recordPut(start, written, aggregate);
  }

  remove(sessionKey: Windowed<K>): void {
    const start = performance.now();
    this.inner.put({ key: this.serializeKey(sessionKey.key), window: sessionKey.window }, null);
    this.observe('remove', start);
  }

  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): V | undefined {
    const start = performance.now();
    const result = this.deserializeValue(
      this.inner.fetchSession(this.serializeKey(key), sessionStartTime, sessionEndTime),
    );
    this.observe('fetch', start);
    return result;
  }

  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    const k = this.serializeKey(key);
    return this.timedIterator(
      'fetch',
      () => this.inner.findSessions(k, earliestSessionEndTime, latestSessionStartTime, false),
      (e) => this.windowedEntry(e),
    );
  }

  backwardFindSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    const k = this.serializeKey(key);
    return this.timedIterator(
      'fetch',
      () => this.inner.findSessions(k, earliestSessionEndTime, latestSessionStartTime, true),
      (e) => this.windowedEntry(e),
    );
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.findSessions(key, 0, Number.MAX_SAFE_INTEGER);
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
}
