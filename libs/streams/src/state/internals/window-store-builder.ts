import type { CachedStateStore } from '../cached-state-store';
import type { SessionStore } from '../session-store';
import type { Windowed } from '../window';
import type { WindowStore } from '../window-store';
import { InvalidStoreConfigError } from '../errors';
import type { StateStore } from '../../processor/state-store';
import type { SessionBytesStoreSupplier, WindowBytesStoreSupplier } from '../store-supplier';
import { SuppliedStoreBuilder } from './abstract-store-builder';
import { CachingSessionStore, CachingWindowStore } from './caching-window-store';
import { ChangeLoggingSessionStore, ChangeLoggingWindowStore } from './change-logging-window-store';
import { MeteredSessionStore, MeteredWindowStore } from './metered-window-store';
import type { SessionBytesStore, WindowBytesStore } from './window-bytes-store';

/** Kafka Streams' extra day of changelog retention for windowed stores (`windowstore.changelog.additional.retention.ms`). */
export const WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS = 24 * 60 * 60 * 1000;

function windowedLogConfig(retentionMs: number): Record<string, string> {
  return {
    'cleanup.policy': 'compact,delete',
    'retention.ms': String(retentionMs + WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS),
  };
}

/** Window and session builders: their changelog also deletes past the store's retention plus a day. */
abstract class WindowedStoreBuilder<
  T extends StateStore,
  S extends { readonly name: string; readonly retentionMs: number },
  K,
  V,
> extends SuppliedStoreBuilder<T, S, K, V> {
  protected override defaultLogConfig(): Record<string, string> {
    return windowedLogConfig(this.supplier.retentionMs);
  }
}

/** Builds metered(caching(change-logging(inner))) window stores (Kafka Streams' `WindowStoreBuilder`). */
export class WindowStoreBuilderImpl<K, V> extends WindowedStoreBuilder<
  WindowStore<K, V> & CachedStateStore<Windowed<K>, V>,
  WindowBytesStoreSupplier,
  K,
  V
> {
  build(): WindowStore<K, V> & CachedStateStore<Windowed<K>, V> {
    let store: WindowBytesStore = this.supplier.get();
    if (this.loggingEnabled) store = new ChangeLoggingWindowStore(store);
    if (this.cachingEnabled) {
      if (this.supplier.retainDuplicates) {
        throw new InvalidStoreConfigError(
          `window store ${this.name}: caching cannot be enabled on a store that retains duplicates`,
        );
      }
      store = new CachingWindowStore(store, this.supplier.segmentIntervalMs);
    }
    return new MeteredWindowStore(store, this.keySerde, this.valueSerde, this.registry);
  }
}

/** Builds metered(caching(change-logging(inner))) session stores (Kafka Streams' `SessionStoreBuilder`). */
export class SessionStoreBuilderImpl<K, V> extends WindowedStoreBuilder<
  SessionStore<K, V> & CachedStateStore<Windowed<K>, V>,
  SessionBytesStoreSupplier,
  K,
  V
> {
  build(): SessionStore<K, V> & CachedStateStore<Windowed<K>, V> {
    let store: SessionBytesStore = this.supplier.get();
    if (this.loggingEnabled) store = new ChangeLoggingSessionStore(store);
    if (this.cachingEnabled) store = new CachingSessionStore(store, this.supplier.segmentIntervalMs);
    return new MeteredSessionStore(store, this.keySerde, this.valueSerde, this.registry);
  }
}
