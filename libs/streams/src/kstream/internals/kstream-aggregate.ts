import { ProcessorContext } from '../../processor/processor-context';
import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { TimestampedKeyValueStore } from '../../state/internals/timestamped-key-value-store';
import { Aggregator, Initializer, Reducer } from '../aggregation';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { DeferredSerde } from './deferred-serde';
import { bindDefaultSerdes, recordDropped } from './dsl-context';
import { KTableParent, KTableValueGetterSupplier } from './ktable-processor-supplier';
import { storeValueGetterSupplier } from './ktable-source';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

/** How a stream aggregation folds one value: from nothing (`undefined`) or from the current aggregate. */
export type StreamFold<K, V, VA> = (key: K, value: V, current: VA | undefined) => VA;

/**
 * `KGroupedStream.aggregate`/`reduce`/`count` (Kafka Streams' `KStreamAggregate` and `KStreamReduce`):
 * records with a null key or value are skipped (counted as dropped); the aggregate's timestamp is the
 * largest timestamp of the records it has seen; the result is forwarded as a table update.
 */
export class KStreamAggregate<K, V, VA>
  implements ProcessorSupplier<K, V, K, Change<VA>>, KTableParent<K, VA>
{
  private sendOldValues = false;

  constructor(
    readonly storeName: string,
    private readonly fold: StreamFold<K, V, VA>,
    /** The old value sent downstream when the key had none: the initializer's value for `aggregate`, `null` for `reduce`. */
    private readonly oldWhenAbsent: () => VA | null,
    private readonly serdes: { key: DeferredSerde<K>; value: DeferredSerde<VA> },
  ) {}

  static aggregate<K, V, VA>(
    storeName: string,
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    serdes: { key: DeferredSerde<K>; value: DeferredSerde<VA> },
  ): KStreamAggregate<K, V, VA> {
    return new KStreamAggregate<K, V, VA>(
      storeName,
      (key, value, current) => aggregator(key, value, current === undefined ? initializer() : current),
      initializer,
      serdes,
    );
  }

  static reduce<K, V>(
    storeName: string,
    reducer: Reducer<V>,
    serdes: { key: DeferredSerde<K>; value: DeferredSerde<V> },
  ): KStreamAggregate<K, V, V> {
    return new KStreamAggregate<K, V, V>(
      storeName,
      (_key, value, current) => (current === undefined ? value : reducer(current, value)),
      () => null,
      serdes,
    );
  }

  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }

  view(): KTableValueGetterSupplier<K, VA> {
    return storeValueGetterSupplier(this.storeName);
  }

  get(): ContextualProcessor<K, V, K, Change<VA>> {
    return new (class extends ContextualProcessor<K, V, K, Change<VA>> {
      constructor(private readonly self: KStreamAggregate<K, V, VA>) {
        super();
      }

      private store!: TimestampedKeyValueStore<K, VA>;
      private forwarder!: TimestampedTupleForwarder<K, VA>;

      override init(context: ProcessorContext<K, Change<VA>>): void {
        super.init(context);
        bindDefaultSerdes(context, this.self.serdes.key, this.self.serdes.value);
        this.store = context.getStateStore<TimestampedKeyValueStore<K, VA>>(this.self.storeName);
        this.forwarder = new TimestampedTupleForwarder(this.store, context, this.self.sendOldValues);
      }

      process(record: Record<K, V>): void {
        if (
          record.key === null ||
          record.key === undefined ||
          record.value === null ||
          record.value === undefined
        ) {
          recordDropped(this.context, 'null_key_or_value');
          return;
        }
        const old = this.store.getWithTimestamp(record.key);
        const newAgg = this.self.fold(record.key, record.value, old === null ? undefined : old.value);
        const timestamp = old === null ? record.timestamp : Math.max(record.timestamp, old.timestamp);
        this.store.putWithTimestamp(record.key, newAgg, timestamp);
        // With caching on, the cache forwards on flush: no update record is made here.
        if (!this.forwarder.forwardsOnWrite) return;
        const oldAgg = !this.self.sendOldValues ? null : old === null ? this.self.oldWhenAbsent() : old.value;
        this.forwarder.maybeForward(
          new Record(record.key, new Change<VA>(newAgg, oldAgg), timestamp, record.headers),
        );
      }
    })(this);
  }
}
