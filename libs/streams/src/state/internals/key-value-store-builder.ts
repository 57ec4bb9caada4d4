import type { Serde } from '../../serialization/serde';
import { StateSerdes } from './state-serdes';
import type { KeyValueBytesStoreSupplier } from '../store-supplier';
import { AbstractStoreBuilder } from './abstract-store-builder';
import { CachingKeyValueStore } from './caching-key-value-store';
import { ChangeLoggingKeyValueStore } from './change-logging-key-value-store';
import { MeteredKeyValueStore } from './metered-key-value-store';
import type { KeyValueBytesStore } from './table-key-value-store';

/** Builds metered(caching(change-logging(inner))) key-value stores (Kafka Streams' `KeyValueStoreBuilder`). */
export class KeyValueStoreBuilder<K, V> extends AbstractStoreBuilder<MeteredKeyValueStore<K, V>> {
  constructor(
    private readonly supplier: KeyValueBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    super(supplier.name);
    StateSerdes.validate(keySerde, 'keySerde', supplier.name);
    StateSerdes.validate(valueSerde, 'valueSerde', supplier.name);
  }

  build(): MeteredKeyValueStore<K, V> {
    let store: KeyValueBytesStore = this.supplier.get();
    if (this.loggingEnabled) store = new ChangeLoggingKeyValueStore(store);
    if (this.cachingEnabled) store = new CachingKeyValueStore(store);
    return new MeteredKeyValueStore(store, this.keySerde, this.valueSerde, this.registry);
  }
}
