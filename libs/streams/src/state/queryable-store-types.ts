import type { StateStore } from '../processor/state-store';
import {
  CompositeReadOnlyKeyValueStore,
  CompositeReadOnlySessionStore,
  CompositeReadOnlyWindowStore,
  type StoreProvider,
} from './internals/composite-read-only-stores';
import type { ReadOnlyKeyValueStore } from './key-value-store';
import type { ReadOnlySessionStore } from './session-store';
import type { ReadOnlyWindowStore } from './window-store';

/**
 * Which kind of store an interactive query wants, and the read-only view it gets
 * (Kafka Streams' `QueryableStoreType`). The runtime's `streams.store({ storeName, type })` uses it.
 */
export interface QueryableStoreType<T> {
  /** `keyValue`, `window` or `session`. */
  readonly kind: 'keyValue' | 'window' | 'session';
  /** True if `store` can serve this query type. */
  accepts(store: StateStore): boolean;
  /**
   * The read-only view over the stores `provider` gives (the tasks' stores of one name, each
   * accepted by {@link accepts}), as Kafka Streams' `QueryableStoreType.create`.
   */
  create(storeName: string, provider: StoreProvider<StateStore>): T;
  /** Marker for the view type; never set at run time. */
  readonly __view?: T;
}

function hasMethods(store: StateStore, ...names: string[]): boolean {
  return names.every((n) => typeof Reflect.get(store, n) === 'function');
}

const isKeyValue = <K, V>(s: StateStore): s is StateStore & ReadOnlyKeyValueStore<K, V> =>
  hasMethods(s, 'get', 'range', 'all', 'prefixScan');
const isWindow = <K, V>(s: StateStore): s is StateStore & ReadOnlyWindowStore<K, V> =>
  hasMethods(s, 'fetch', 'fetchRange', 'fetchAll');
const isSession = <K, V>(s: StateStore): s is StateStore & ReadOnlySessionStore<K, V> =>
  hasMethods(s, 'findSessions', 'fetchSession');

/** Kafka Streams' `QueryableStoreTypes`. */
export const QueryableStoreTypes = {
  keyValueStore<K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, V>> {
    return {
      kind: 'keyValue',
      accepts: isKeyValue,
      create: (name, provider) =>
        new CompositeReadOnlyKeyValueStore(name, () => provider().filter(isKeyValue<K, V>)),
    };
  },
  windowStore<K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, V>> {
    return {
      kind: 'window',
      accepts: isWindow,
      create: (name, provider) =>
        new CompositeReadOnlyWindowStore(name, () => provider().filter(isWindow<K, V>)),
    };
  },
  sessionStore<K, V>(): QueryableStoreType<ReadOnlySessionStore<K, V>> {
    return {
      kind: 'session',
      accepts: isSession,
      create: (name, provider) =>
        new CompositeReadOnlySessionStore(name, () => provider().filter(isSession<K, V>)),
    };
  },
};
