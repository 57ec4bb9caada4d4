import type { CachedStateStore } from '../cached-state-store';
import type { KeyValueStore } from '../key-value-store';
import type { KeyValueBytesStoreSupplier } from '../store-supplier';
import { SuppliedStoreBuilder } from './abstract-store-builder';
import { CachingKeyValueStore } from './caching-key-value-store';
import { ChangeLoggingKeyValueStore } from './change-logging-key-value-store';
import { MeteredKeyValueStore } from './metered-key-value-store';
import type { KeyValueBytesStore } from './table-key-value-store';

/** Builds metered(caching(change-logging(inner))) key-value stores (Kafka Streams' `KeyValueStoreBuilder`). */
export class KeyValueStoreBuilderImpl<K, V> extends SuppliedStoreBuilder<
  KeyValueStore<K, V> & CachedStateStore<K, V>,
  KeyValueBytesStoreSupplier,
  K,
  V
> {
  build(): KeyValueStore<K, V> & CachedStateStore<K, V> {
    let store: KeyValueBytesStore = this.supplier.get();
    if (this.loggingEnabled) store = new ChangeLoggingKeyValueStore(store);
    if (this.cachingEnabled) store = new CachingKeyValueStore(store);
    return new MeteredKeyValueStore(store, this.keySerde, this.valueSerde, this.registry);
  }
}
