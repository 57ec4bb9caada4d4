import type { StateStore, StateStoreContext } from '../../processor/state-store';
import type { StoreBuilder } from '../../processor/store-builder';
import type { CachedStateStore } from '../cached-state-store';
import type { WindowStoreBuilder } from '../configurable-store-builder';
import type { KeyValueIterator } from '../key-value';
import type { ValueAndTimestamp } from '../value-and-timestamp';
import type { Windowed } from '../window';
import type { WindowStore, WindowStoreIterator } from '../window-store';
import { mapIterator } from './store-iterator';
import type { TimestampedFlushListener } from './timestamped-key-value-store';

type Inner<K, V> = WindowStore<K, ValueAndTimestamp<V>> & CachedStateStore<Windowed<K>, ValueAndTimestamp<V>>;

/**
 * A window store whose values carry the timestamp of the record that last wrote them (Kafka Streams'
 * `TimestampedWindowStore`), for the DSL's windowed aggregations. Queries see plain values.
 */
export class TimestampedWindowStore<K, V> implements WindowStore<K, V> {
  private context: StateStoreContext | undefined;

  constructor(readonly inner: Inner<K, V>) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }
  get retentionMs(): number {
    return this.inner.retentionMs;
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

  /** See {@link TimestampedKeyValueStore.setFlushListener}. */
  setFlushListener(listener: TimestampedFlushListener<Windowed<K>, V>, sendOldValues: boolean): boolean {
    return this.inner.setFlushListener(
      (key, newValue, oldValue, timestamp, headers) =>
        listener(key, newValue, oldValue ?? null, timestamp, headers),
      sendOldValues,
    );
  }

  fetchWithTimestamp(key: K, windowStartTime: number): ValueAndTimestamp<V> | null {
    return this.inner.fetch(key, windowStartTime) ?? null;
  }
  putWithTimestamp(key: K, value: V | null, timestamp: number, windowStartTime: number): void {
    this.inner.put(key, value === null || value === undefined ? null : { value, timestamp }, windowStartTime);
  }

  put(key: K, value: V | null, windowStartTime: number): void {
    this.putWithTimestamp(key, value, this.context?.currentTimestamp() ?? -1, windowStartTime);
  }
  fetch(key: K, windowStartTime: number): V | undefined {
    return this.inner.fetch(key, windowStartTime)?.value;
  }
  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V> {
    return plain(this.inner.fetchRange(key, timeFrom, timeTo));
  }
  backwardFetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V> {
    return plain(this.inner.backwardFetchRange(key, timeFrom, timeTo));
  }
  fetchKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return plain(this.inner.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo));
  }
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return plain(this.inner.fetchAll(timeFrom, timeTo));
  }
  all(): KeyValueIterator<Windowed<K>, V> {
    return plain(this.inner.all());
  }
}

function plain<K, V>(it: KeyValueIterator<K, ValueAndTimestamp<V>>): KeyValueIterator<K, V> {
  return mapIterator(it, (e) => ({ key: e.key, value: e.value.value }));
}

/** Builds {@link TimestampedWindowStore}s over a window store builder. */
export class TimestampedWindowStoreBuilder<K, V> implements StoreBuilder<TimestampedWindowStore<K, V>> {
  constructor(readonly inner: WindowStoreBuilder<K, ValueAndTimestamp<V>>) {}

  get name(): string {
    return this.inner.name;
  }
  get loggingEnabled(): boolean {
    return this.inner.loggingEnabled;
  }
  get logConfig(): Readonly<Record<string, string>> {
    return this.inner.logConfig;
  }
  build(): TimestampedWindowStore<K, V> {
    return new TimestampedWindowStore(this.inner.build());
  }
}
