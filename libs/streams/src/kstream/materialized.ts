import { Serde } from '../serialization/serde';
import type {
  KeyValueBytesStoreSupplier,
  SessionBytesStoreSupplier,
  WindowBytesStoreSupplier,
} from '../state/store-supplier';

/** Any of the store suppliers a `Materialized` may carry. */
export type MaterializedStoreSupplier =
  KeyValueBytesStoreSupplier | WindowBytesStoreSupplier | SessionBytesStoreSupplier;

/** @internal The settings a {@link Materialized} holds. */
export interface MaterializedFields<K, V> {
  readonly storeName?: string;
  readonly storeSupplier?: MaterializedStoreSupplier;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly loggingEnabled: boolean;
  readonly logConfig: Readonly<Record<string, string>>;
  readonly cachingEnabled: boolean;
  readonly retentionMs?: number;
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;

/**
 * How the DSL materializes a table, aggregation or window store (Kafka Streams' `Materialized`):
 * store name (makes it queryable and names its changelog), serdes, changelog, record cache, retention.
 * Logging and caching are on by default, as in Kafka Streams.
 *
 * ```ts
 * Materialized.as<string, number>('counts').withValueSerde(Serdes.Long()).withCachingDisabled()
 * Materialized.as(Stores.inMemoryKeyValueStore('counts'))
 * ```
 */
export class Materialized<K, V> {
  private constructor(readonly fields: MaterializedFields<K, V>) {}

  private static empty<K, V>(): MaterializedFields<K, V> {
    return { loggingEnabled: true, logConfig: {}, cachingEnabled: true };
  }

  /** A store with this name (queryable through `KafkaStreams.store`), or the store a supplier gives. */
  static as<K, V>(nameOrSupplier: string | MaterializedStoreSupplier): Materialized<K, V> {
    if (typeof nameOrSupplier === 'string') {
      if (!LEGAL_NAME.test(nameOrSupplier) || nameOrSupplier.length > 249)
        throw new Error(
          `Materialized.as: "${nameOrSupplier}" is not a legal store name (it names a topic: letters, digits, ".", "_", "-")`,
        );
      return new Materialized<K, V>({ ...Materialized.empty<K, V>(), storeName: nameOrSupplier });
    }
    if (!nameOrSupplier || typeof nameOrSupplier.get !== 'function')
      throw new Error('Materialized.as: expected a store name or a store supplier');
    return new Materialized<K, V>({
      ...Materialized.empty<K, V>(),
      storeName: nameOrSupplier.name,
      storeSupplier: nameOrSupplier,
    });
  }

  /** An unnamed store (generated name, not queryable) with these serdes. */
  static with<K, V>(keySerde?: Serde<K>, valueSerde?: Serde<V>): Materialized<K, V> {
    return new Materialized<K, V>({ ...Materialized.empty<K, V>(), keySerde, valueSerde });
  }

  withKeySerde(keySerde: Serde<K>): Materialized<K, V> {
    return new Materialized({ ...this.fields, keySerde });
  }
  withValueSerde(valueSerde: Serde<V>): Materialized<K, V> {
    return new Materialized({ ...this.fields, valueSerde });
  }
  /** Mirrors the store to `<applicationId>-<store>-changelog` with these topic configs (the default). */
  withLoggingEnabled(config: Record<string, string> = {}): Materialized<K, V> {
    return new Materialized({ ...this.fields, loggingEnabled: true, logConfig: { ...config } });
  }
  /** No changelog: the store does not survive a move or a wipe. */
  withLoggingDisabled(): Materialized<K, V> {
    return new Materialized({ ...this.fields, loggingEnabled: false, logConfig: {} });
  }
  /** Updates go through the record cache and downstream on commit or eviction (the default). */
  withCachingEnabled(): Materialized<K, V> {
    return new Materialized({ ...this.fields, cachingEnabled: true });
  }
  /** Every update goes downstream at once, with its old value when asked. */
  withCachingDisabled(): Materialized<K, V> {
    return new Materialized({ ...this.fields, cachingEnabled: false });
  }
  /** How long a window or session store keeps windows (at least window size + grace). */
  withRetention(retentionMs: number): Materialized<K, V> {
    if (!Number.isSafeInteger(retentionMs) || retentionMs < 0)
      throw new Error(`Materialized.withRetention: must be a non-negative integer, got ${retentionMs}`);
    return new Materialized({ ...this.fields, retentionMs });
  }
}
