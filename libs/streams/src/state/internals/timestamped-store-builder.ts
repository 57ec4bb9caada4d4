import type { StoreBuilder } from '../../processor/store-builder';
import type { ValueAndTimestamp } from '../value-and-timestamp';
import type { KeyValueStoreBuilder } from '../configurable-store-builder';
import { TimestampedKeyValueStore } from './timestamped-key-value-store';

/** Builds {@link TimestampedKeyValueStore}s over a key-value store builder (Kafka Streams' `TimestampedKeyValueStoreBuilder`). */
export class TimestampedKeyValueStoreBuilder<K, V> implements StoreBuilder<TimestampedKeyValueStore<K, V>> {
  constructor(readonly inner: KeyValueStoreBuilder<K, ValueAndTimestamp<V>>) {}

  get name(): string {
    return this.inner.name;
  }
  get loggingEnabled(): boolean {
    return this.inner.loggingEnabled;
  }
  get logConfig(): Readonly<Record<string, string>> {
    return this.inner.logConfig;
  }
  get cachingEnabled(): boolean {
    return this.inner.cachingEnabled;
  }

  build(): TimestampedKeyValueStore<K, V> {
    return new TimestampedKeyValueStore(this.inner.build());
  }
}
