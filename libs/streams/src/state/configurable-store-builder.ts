import type { Registry } from 'prom-client';
import type { StateStore } from '../processor/state-store';
import type { StoreBuilder } from '../processor/store-builder';
import type { CachedStateStore } from './cached-state-store';
import type { KeyValueStore } from './key-value-store';
import type { SessionStore } from './session-store';
import type { Windowed } from './window';
import type { WindowStore } from './window-store';

/**
 * A {@link StoreBuilder} with Kafka Streams' `StoreBuilder` options: changelog logging (on by
 * default), caching (off by default) and the metrics registry. Each `with*` returns the builder.
 */
export interface ConfigurableStoreBuilder<T extends StateStore> extends StoreBuilder<T> {
  /** True when writes go through the task's record cache. */
  readonly cachingEnabled: boolean;
  /** Mirrors writes to a changelog topic; `topicConfig` is merged over the store kind's defaults. */
  withLoggingEnabled(topicConfig?: Record<string, string>): this;
  /** No changelog: the store starts empty after a move or a wipe. */
  withLoggingDisabled(): this;
  /** Buffers and de-duplicates writes in the task's record cache (bounded by the task's `cacheMaxBytes`). */
  withCachingEnabled(): this;
  /** Every write goes straight through (the default). */
  withCachingDisabled(): this;
  /** Sends the store's metrics to `registry` instead of the context's or prom-client's default. */
  withMetricsRegistry(registry: Registry): this;
}

/** Builds key-value stores (`Stores.keyValueStoreBuilder`). */
export type KeyValueStoreBuilder<K, V> = ConfigurableStoreBuilder<
  KeyValueStore<K, V> & CachedStateStore<K, V>
>;

/** Builds window stores (`Stores.windowStoreBuilder`). */
export type WindowStoreBuilder<K, V> = ConfigurableStoreBuilder<
  WindowStore<K, V> & CachedStateStore<Windowed<K>, V>
>;

/** Builds session stores (`Stores.sessionStoreBuilder`). */
export type SessionStoreBuilder<K, V> = ConfigurableStoreBuilder<
  SessionStore<K, V> & CachedStateStore<Windowed<K>, V>
>;
