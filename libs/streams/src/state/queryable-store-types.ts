import type { StateStore } from '../processor/state-store';
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
  /** Marker for the view type; never set at run time. */
  readonly __view?: T;
}

function hasMethods(store: StateStore, ...names: string[]): boolean {
  return names.every((n) => typeof Reflect.get(store, n) === 'function');
}

/** Kafka Streams' `QueryableStoreTypes`. */
export const QueryableStoreTypes = {
  keyValueStore<K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, V>> {
    return { kind: 'keyValue', accepts: (s) => hasMethods(s, 'get', 'range', 'all', 'prefixScan') };
  },
  windowStore<K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, V>> {
    return { kind: 'window', accepts: (s) => hasMethods(s, 'fetch', 'fetchRange', 'fetchAll') };
  },
  sessionStore<K, V>(): QueryableStoreType<ReadOnlySessionStore<K, V>> {
    return { kind: 'session', accepts: (s) => hasMethods(s, 'findSessions', 'fetchSession') };
  },
};
