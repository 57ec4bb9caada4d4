import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { TimestampedKeyValueStore } from '../../state/internals/timestamped-key-value-store';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { bindDefaultSerdes, recordDropped } from './dsl-context';
import { KTableValueGetter, KTableValueGetterSupplier } from './ktable-processor-supplier';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';
import { DeferredSerde } from './deferred-serde';

/** Getter over a table's own timestamped store (Kafka Streams' `KTableMaterializedValueGetterSupplier`). */
export function storeValueGetterSupplier<K, V>(storeName: string): KTableValueGetterSupplier<K, V> {
  return {
    storeNames: () => [storeName],
    get: (): KTableValueGetter<K, V> => {
      let store!: TimestampedKeyValueStore<K, V>;
      return {
        init: (context) => {
          store = context.getStateStore<TimestampedKeyValueStore<K, V>>(storeName);
        },
        get: (key) => store.getWithTimestamp(key),
      };
    },
  };
}

/**
 * Turns a topic's records into table updates (Kafka Streams' `KTableSource`): a record is an upsert,
 * a `null` value deletes the key, a `null` key is dropped. Materialized when the user named the
 * store or a downstream operator needs old values or a view; otherwise every record is forwarded
 * at once as `Change(new, null)`.
 */
export class KTableSource<K, V> {
  /** The store's name once materialized. */
  queryableName: string | undefined;
  sendOldValues = false;
  /** Serdes of the materialized store, bound to the defaults at start when not given. */
  serdes: { key?: DeferredSerde<K>; value?: DeferredSerde<V> } = {};

  constructor(
    readonly storeName: string,
    queryableName: string | undefined,
  ) {
    this.queryableName = queryableName;
  }

  /** Adds the store to the topology (set by the builder). */
  materializer: (() => void) | undefined;

  /** Materializes the table in its store (once). */
  materialize(): void {
    if (this.queryableName !== undefined) return;
    this.queryableName = this.storeName;
    this.materializer?.();
  }

  view(): KTableValueGetterSupplier<K, V> {
    this.materialize();
    return storeValueGetterSupplier(this.storeName);
  }

  enableSendingOldValues(_forceMaterialization: boolean): boolean {
    this.materialize();
    this.sendOldValues = true;
    return true;
  }

  get(): ContextualProcessor<K, V, K, Change<V>> {
    return new (class extends ContextualProcessor<K, V, K, Change<V>> {
      constructor(private readonly self: KTableSource<K, V>) {
        super();
      }

      private store: TimestampedKeyValueStore<K, V> | undefined;
      private forwarder: TimestampedTupleForwarder<K, V> | undefined;

      override init(context: ProcessorContext<K, Change<V>>): void {
        super.init(context);
        if (this.self.queryableName === undefined) return;
        bindDefaultSerdes(context, this.self.serdes.key, this.self.serdes.value);
        this.store = context.getStateStore<TimestampedKeyValueStore<K, V>>(this.self.queryableName);
        this.forwarder = new TimestampedTupleForwarder(this.store, context, this.self.sendOldValues);
      }

      process(record: Record<K, V>): void {
        if (record.key === null || record.key === undefined) {
          recordDropped(this.context, 'null_key_or_value');
          return;
        }
        const value = record.value ?? null;
        if (this.store === undefined) {
          this.context.forward(record.withValue(new Change<V>(value, null)));
          return;
        }
        const forwarder = this.forwarder!;
        // Kafka Streams' KTableSource reads the row before every write. Without caching the value read
        // is the old value forwarded. With caching on it is not (the cache forwards on flush, with the
        // old value from the store below), but the read goes through the cache: a row found only in
        // the store below enters the cache as a clean entry, which may evict, and so flush, before
        // the write is cached. Where the value is not used it is read without deserializing it.
        if (!forwarder.forwardsOnWrite || !this.self.sendOldValues) {
          this.store.readThrough(record.key);
          this.store.putWithTimestamp(record.key, value, record.timestamp);
          if (forwarder.forwardsOnWrite) forwarder.maybeForward(record.withValue(new Change<V>(value, null)));
          return;
        }
        const old = this.store.getWithTimestamp(record.key);
        this.store.putWithTimestamp(record.key, value, record.timestamp);
        forwarder.maybeForward(record.withValue(new Change<V>(value, old?.value ?? null)));
      }
    })(this);
  }
}
