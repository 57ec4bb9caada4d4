import { InvalidStoreConfigError } from './errors';
import { InMemoryKeyValueStore } from './internals/in-memory-key-value-store';
import type {
  KeyValueStoreBuilder,
  SessionStoreBuilder,
  WindowStoreBuilder,
} from './configurable-store-builder';
import { KeyValueStoreBuilderImpl } from './internals/key-value-store-builder';
import { LmdbKeyValueStore } from './internals/lmdb-key-value-store';
import { MemoryLruStore } from './internals/memory-lru-store';
import { SegmentedSessionBytesStore } from './internals/segmented-session-store';
import { SegmentedWindowBytesStore, validateWindowStore } from './internals/segmented-window-store';
import { defaultSegmentInterval } from './internals/segments';
import { SessionStoreBuilderImpl, WindowStoreBuilderImpl } from './internals/window-store-builder';
import type { Serde } from '../serialization/serde';
import type {
  KeyValueBytesStoreSupplier,
  SessionBytesStoreSupplier,
  WindowBytesStoreSupplier,
} from './store-supplier';

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;

function validateName(name: string): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidStoreConfigError('store name must be a non-empty string');
  if (!LEGAL_NAME.test(name)) {
    throw new InvalidStoreConfigError(
      `store name "${name}" is not legal: it names the changelog topic, so use only ASCII letters, digits, '.', '_' and '-'`,
    );
  }
  if (name.length > 200)
    throw new InvalidStoreConfigError(`store name "${name.slice(0, 20)}..." is longer than 200 characters`);
  return name;
}

/**
 * Factory of store suppliers and builders (Kafka Streams' `Stores`).
 *
 * ```ts
 * const builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('rewards'), Serdes.String(), Serdes.Integer())
 *   .withCachingEnabled();
 * ```
 */
export const Stores = {
  /** A sorted in-memory key-value store; restored in full from its changelog on every start. */
  inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    validateName(name);
    return { name, metricsScope: 'in-memory', get: () => new InMemoryKeyValueStore(name) };
  },

  /** A key-value store on disk (LMDB) under the task's state directory; restores only the changelog tail after a clean stop. */
  persistentKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    validateName(name);
    return { name, metricsScope: 'lmdb', get: () => new LmdbKeyValueStore(name) };
  },

  /** An in-memory store holding at most `maxEntries` entries, evicting the least recently used. */
  lruMap(name: string, maxEntries: number): KeyValueBytesStoreSupplier {
    validateName(name);
    new MemoryLruStore(name, maxEntries); // validates maxEntries up front
    return { name, metricsScope: 'lru-map', get: () => new MemoryLruStore(name, maxEntries) };
  },

  /** A window store on disk (LMDB), segmented by time; `retainDuplicates` keeps every value of a key and window (joins). */
  persistentWindowStore(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    retainDuplicates: boolean,
  ): WindowBytesStoreSupplier {
    return windowSupplier(name, retentionMs, windowSizeMs, retainDuplicates, true);
  },

  /** An in-memory window store, segmented by time. */
  inMemoryWindowStore(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    retainDuplicates: boolean,
  ): WindowBytesStoreSupplier {
    return windowSupplier(name, retentionMs, windowSizeMs, retainDuplicates, false);
  },

  /** A session store on disk (LMDB); sessions are kept `retentionMs` past their end. */
  persistentSessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier {
    return sessionSupplier(name, retentionMs, true);
  },

  /** An in-memory session store. */
  inMemorySessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier {
    return sessionSupplier(name, retentionMs, false);
  },

  /** A builder of metered(caching(change-logging(inner))) key-value stores with logging on and caching off. */
  keyValueStoreBuilder<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilderImpl(supplier, keySerde, valueSerde);
  },

  /** A builder of metered(change-logging(inner)) window stores with logging on. */
  windowStoreBuilder<K, V>(
    supplier: WindowBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilderImpl(supplier, keySerde, valueSerde);
  },

  /** A builder of metered(change-logging(inner)) session stores with logging on. */
  sessionStoreBuilder<K, V>(
    supplier: SessionBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): SessionStoreBuilder<K, V> {
    return new SessionStoreBuilderImpl(supplier, keySerde, valueSerde);
  },
};

function windowSupplier(
  name: string,
  retentionMs: number,
  windowSizeMs: number,
  retainDuplicates: boolean,
  persistent: boolean,
): WindowBytesStoreSupplier {
  validateName(name);
  validateWindowStore(name, retentionMs, windowSizeMs);
  if (typeof retainDuplicates !== 'boolean')
    throw new InvalidStoreConfigError(`window store ${name}: retainDuplicates must be a boolean`);
  const segmentIntervalMs = defaultSegmentInterval(retentionMs);
  return {
    name,
    metricsScope: persistent ? 'lmdb-window' : 'in-memory-window',
    retentionMs,
    windowSizeMs,
    retainDuplicates,
    segmentIntervalMs,
    get: () =>
      new SegmentedWindowBytesStore(
        name,
        retentionMs,
        windowSizeMs,
        retainDuplicates,
        segmentIntervalMs,
        persistent,
      ),
  };
}

function sessionSupplier(name: string, retentionMs: number, persistent: boolean): SessionBytesStoreSupplier {
  validateName(name);
  if (!Number.isSafeInteger(retentionMs) || retentionMs < 0) {
    throw new InvalidStoreConfigError(
      `session store ${name}: retentionMs must be a non-negative integer, got ${retentionMs}`,
    );
  }
  const segmentIntervalMs = defaultSegmentInterval(retentionMs);
  return {
    name,
    metricsScope: persistent ? 'lmdb-session' : 'in-memory-session',
    retentionMs,
    segmentIntervalMs,
    get: () => new SegmentedSessionBytesStore(name, retentionMs, segmentIntervalMs, persistent),
  };
}
