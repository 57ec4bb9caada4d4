import type { Serializer } from '../../serialization/serde';
import { InvalidStateStoreError } from '../errors';
import type { KeyValueIterator } from '../key-value';
import type { ReadOnlyKeyValueStore } from '../key-value-store';
import type { ReadOnlySessionStore } from '../session-store';
import type { Windowed } from '../window';
import type { ReadOnlyWindowStore, WindowStoreIterator } from '../window-store';
import { readAsQuery } from './record-cache';
import { concatIterators } from './store-iterator';

/** Gives the current stores of one name across an instance's tasks (they move on rebalance). */
export type StoreProvider<T> = () => readonly T[];

function current<T>(provider: StoreProvider<T>, name: string): readonly T[] {
  const stores = provider();
  if (stores.length === 0) {
    throw new InvalidStateStoreError(
      `store ${name} is not available on this instance now (not assigned, restoring or rebalancing); retry`,
    );
  }
  return stores;
}

function firstDefined<T, R>(stores: readonly T[], read: (s: T) => R | undefined): R | undefined {
  for (const s of stores) {
    const r = read(s);
    if (r !== undefined) return r;
  }
  return undefined;
}

/**
 * Kafka Streams' `CompositeReadOnlyKeyValueStore`: a read-only view over the tasks' stores of one name
 * (each key lives in one task). Scans concatenate the tasks' scans, each in key order.
 */
export class CompositeReadOnlyKeyValueStore<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(
    readonly name: string,
    private readonly provider: StoreProvider<ReadOnlyKeyValueStore<K, V>>,
  ) {}

  /** A read of the tasks' stores that does not bring a key into their record caches ({@link readAsQuery}). */
  get(key: K): V | undefined {
    return firstDefined(current(this.provider, this.name), (s) => readAsQuery(() => s.get(key)));
  }
  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.concat((s) => s.range(from, to));
  }
  reverseRange(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.concat((s) => s.reverseRange(from, to));
  }
  prefixScan<P>(prefix: P, serializer: Serializer<P>): KeyValueIterator<K, V> {
    return this.concat((s) => s.prefixScan(prefix, serializer));
  }
  all(): KeyValueIterator<K, V> {
    return this.concat((s) => s.all());
  }
  reverseAll(): KeyValueIterator<K, V> {
    return this.concat((s) => s.reverseAll());
  }
  approximateNumEntries(): number {
    let total = 0;
    for (const s of current(this.provider, this.name)) total += s.approximateNumEntries();
    return Math.min(total, Number.MAX_SAFE_INTEGER);
  }
  private concat(open: (s: ReadOnlyKeyValueStore<K, V>) => KeyValueIterator<K, V>): KeyValueIterator<K, V> {
    return concatIterators(
      current(this.provider, this.name).map((s) => () => open(s)),
      this.name,
    );
  }
}

/** Kafka Streams' `CompositeReadOnlyWindowStore`. */
export class CompositeReadOnlyWindowStore<K, V> implements ReadOnlyWindowStore<K, V> {
  constructor(
    readonly name: string,
    private readonly provider: StoreProvider<ReadOnlyWindowStore<K, V>>,
  ) {}

  fetch(key: K, windowStartTime: number): V | undefined {
    return firstDefined(current(this.provider, this.name), (s) => s.fetch(key, windowStartTime));
  }
  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V> {
    return this.concat((s) => s.fetchRange(key, timeFrom, timeTo));
  }
  backwardFetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V> {
    return this.concat((s) => s.backwardFetchRange(key, timeFrom, timeTo));
  }
  fetchKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.concat((s) => s.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo));
  }
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.concat((s) => s.fetchAll(timeFrom, timeTo));
  }
  all(): KeyValueIterator<Windowed<K>, V> {
    return this.concat((s) => s.all());
  }
  private concat<KK>(
    open: (s: ReadOnlyWindowStore<K, V>) => KeyValueIterator<KK, V>,
  ): KeyValueIterator<KK, V> {
    return concatIterators(
      current(this.provider, this.name).map((s) => () => open(s)),
      this.name,
    );
  }
}

/** Kafka Streams' `CompositeReadOnlySessionStore`. */
export class CompositeReadOnlySessionStore<K, V> implements ReadOnlySessionStore<K, V> {
  constructor(
    readonly name: string,
    private readonly provider: StoreProvider<ReadOnlySessionStore<K, V>>,
  ) {}

  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.concat((s) => s.findSessions(key, earliestSessionEndTime, latestSessionStartTime));
  }
  backwardFindSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.concat((s) => s.backwardFindSessions(key, earliestSessionEndTime, latestSessionStartTime));
  }
  findSessionsKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.concat((s) =>
      s.findSessionsKeyRange(keyFrom, keyTo, earliestSessionEndTime, latestSessionStartTime),
    );
  }
  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): V | undefined {
    return firstDefined(current(this.provider, this.name), (s) =>
      s.fetchSession(key, sessionStartTime, sessionEndTime),
    );
  }
  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.concat((s) => s.fetch(key));
  }
  private concat(
    open: (s: ReadOnlySessionStore<K, V>) => KeyValueIterator<Windowed<K>, V>,
  ): KeyValueIterator<Windowed<K>, V> {
    return concatIterators(
      current(this.provider, this.name).map((s) => () => open(s)),
      this.name,
    );
  }
}
