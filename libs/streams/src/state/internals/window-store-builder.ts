import { InvalidStoreConfigError } from '../errors';
import type { Serde } from '../../serialization/serde';
import { StateSerdes } from './state-serdes';
import type { SessionBytesStoreSupplier, WindowBytesStoreSupplier } from '../store-supplier';
import { AbstractStoreBuilder } from './abstract-store-builder';
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

/** Builds metered(caching(change-logging(inner))) window stores (Kafka Streams' `WindowStoreBuilder`). */
export class WindowStoreBuilder<K, V> extends AbstractStoreBuilder<MeteredWindowStore<K, V>> {
  constructor(
    private readonly supplier: WindowBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    super(supplier.name);
    StateSerdes.validate(keySerde, 'keySerde', supplier.name);
    StateSerdes.validate(valueSerde, 'valueSerde', supplier.name);
  }

  protected override defaultLogConfig(): Record<string, string> {
    return windowedLogConfig(this.supplier.retentionMs);
  }

  build(): MeteredWindowStore<K, V> {
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
export class SessionStoreBuilder<K, V> extends AbstractStoreBuilder<MeteredSessionStore<K, V>> {
  constructor(
    private readonly supplier: SessionBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    super(supplier.name);
    StateSerdes.validate(keySerde, 'keySerde', supplier.name);
    StateSerdes.validate(valueSerde, 'valueSerde', supplier.name);
  }

  protected override defaultLogConfig(): Record<string, string> {
    return windowedLogConfig(this.supplier.retentionMs);
  }

  build(): MeteredSessionStore<K, V> {
    let store: SessionBytesStore = this.supplier.get();
    if (this.loggingEnabled) store = new ChangeLoggingSessionStore(store);
    if (this.cachingEnabled) store = new CachingSessionStore(store, this.supplier.segmentIntervalMs);
    return new MeteredSessionStore(store, this.keySerde, this.valueSerde, this.registry);
  }
}
