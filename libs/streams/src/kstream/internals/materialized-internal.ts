import { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import { Serde } from '../../serialization/serde';
import { TimestampedKeyValueStoreBuilder } from '../../state/internals/timestamped-store-builder';
import type { KeyValueBytesStoreSupplier } from '../../state/store-supplier';
import { Stores } from '../../state/stores';
import { ValueAndTimestampSerde } from '../../state/value-and-timestamp';
import { Materialized, MaterializedFields } from '../materialized';
import { DeferredSerde } from './deferred-serde';

/** Kafka Streams' `KTableImpl.STATE_STORE_NAME`: generated store names are `<prefix>STATE-STORE-<index>`. */
export const STATE_STORE_NAME = 'STATE-STORE-';

/**
 * A {@link Materialized} resolved for one operator (Kafka Streams' `MaterializedInternal`): the store
 * name (the user's, or `<prefix>STATE-STORE-<index>` generated now, burning an index as Kafka Streams
 * does), and whether the user named it (only then is it the table's queryable store name).
 */
export class MaterializedInternal<K, V> {
  readonly fields: MaterializedFields<K, V>;
  readonly storeName: string;
  readonly queryableStoreName: string | undefined;
  keySerde: Serde<K> | undefined;
  valueSerde: Serde<V> | undefined;

  constructor(
    materialized: Materialized<K, V> | undefined,
    builder: InternalTopologyBuilder,
    generatedPrefix: string,
  ) {
    this.fields = (materialized ?? Materialized.with<K, V>()).fields;
    this.queryableStoreName = this.fields.storeName;
    this.storeName =
      this.fields.storeName ?? `${generatedPrefix}${STATE_STORE_NAME}${pad(builder.nextIndex())}`;
    this.keySerde = this.fields.keySerde;
    this.valueSerde = this.fields.valueSerde;
  }

  withDefaults(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): this {
    this.keySerde ??= keySerde;
    this.valueSerde ??= valueSerde;
    return this;
  }

  /** The store's serdes, bound to the config's defaults at start where not given. */
  deferredSerdes(): { key: DeferredSerde<K>; value: DeferredSerde<V> } {
    return {
      key: DeferredSerde.of(this.keySerde, `store ${this.storeName} key serde`),
      value: DeferredSerde.of(this.valueSerde, `store ${this.storeName} value serde`),
    };
  }

  /** The timestamped key-value store builder of a table or aggregation (persistent unless a supplier says otherwise). */
  keyValueStoreBuilder(
    keySerde: DeferredSerde<K>,
    valueSerde: DeferredSerde<V>,
  ): TimestampedKeyValueStoreBuilder<K, V> {
    const supplier = this.fields.storeSupplier as KeyValueBytesStoreSupplier | undefined;
    if (supplier && ('windowSizeMs' in supplier || 'retentionMs' in supplier))
      throw new Error(`Materialized store "${this.storeName}": a key-value store supplier is needed here`);
    const inner = Stores.keyValueStoreBuilder(
      supplier ?? Stores.persistentKeyValueStore(this.storeName),
      keySerde,
      new ValueAndTimestampSerde(valueSerde),
    );
    if (this.fields.loggingEnabled) inner.withLoggingEnabled({ ...this.fields.logConfig });
    else inner.withLoggingDisabled();
    if (this.fields.cachingEnabled) inner.withCachingEnabled();
    else inner.withCachingDisabled();
    return new TimestampedKeyValueStoreBuilder(inner);
  }
}

export function pad(index: number): string {
  return String(index).padStart(10, '0');
}
