import { StreamsError } from '../../errors/streams-error';
import { ProcessorContext } from '../../processor/processor-context';
import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { TimestampedKeyValueStore } from '../../state/internals/timestamped-key-value-store';
import { Aggregator, Initializer, Reducer } from '../aggregation';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { DeferredSerde } from './deferred-serde';
import { bindDefaultSerdes } from './dsl-context';
import { KTableParent, KTableValueGetterSupplier } from './ktable-processor-supplier';
import { storeValueGetterSupplier } from './ktable-source';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

/** The store's serdes and the repartition topic's value serde (all bound to the defaults at start when not given). */
export interface AggregateSerdes<K, V, VA> {
  readonly key: DeferredSerde<K>;
  readonly value: DeferredSerde<VA>;
  readonly input?: DeferredSerde<V>;
}

/**
 * `KGroupedTable.aggregate`/`reduce`/`count` (Kafka Streams' `KTableAggregate` and `KTableReduce`):
 * for each update of a group, the subtractor is applied to the old value first, then the adder to
 * the new one; the result is stored and forwarded once. A group whose last row left keeps its
 * (subtracted) aggregate, as in Kafka Streams.
 */
export class KTableAggregate<K, V, VA>
  implements ProcessorSupplier<K, Change<V>, K, Change<VA>>, KTableParent<K, VA>
{
  private sendOldValues = false;

  constructor(
    readonly storeName: string,
    /** Adds a value: from nothing (`null`) or to the current aggregate. */
    private readonly add: (key: K, value: V, current: VA | null) => VA,
    private readonly remove: (key: K, value: V, current: VA) => VA,
    private readonly serdes: AggregateSerdes<K, V, VA>,
  ) {}

  static aggregate<K, V, VA>(
    storeName: string,
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    serdes: AggregateSerdes<K, V, VA>,
  ): KTableAggregate<K, V, VA> {
    return new KTableAggregate<K, V, VA>(
      storeName,
      (key, value, current) => adder(key, value, current === null ? initializer() : current),
      subtractor,
      serdes,
    );
  }

  static reduce<K, V>(
    storeName: string,
    adder: Reducer<V>,
    subtractor: Reducer<V>,
    serdes: AggregateSerdes<K, V, V>,
  ): KTableAggregate<K, V, V> {
    return new KTableAggregate<K, V, V>(
      storeName,
      (_key, value, current) => (current === null ? value : adder(current, value)),
      (_key, value, current) => subtractor(current, value),
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

  get(): ContextualProcessor<K, Change<V>, K, Change<VA>> {
    return new (class extends ContextualProcessor<K, Change<V>, K, Change<VA>> {
      constructor(private readonly self: KTableAggregate<K, V, VA>) {
        super();
      }

      private store!: TimestampedKeyValueStore<K, VA>;
      private forwarder!: TimestampedTupleForwarder<K, VA>;

      override init(context: ProcessorContext<K, Change<VA>>): void {
        super.init(context);
        bindDefaultSerdes(context, this.self.serdes.key, this.self.serdes.value);
        bindDefaultSerdes(context, undefined, this.self.serdes.input);
        this.store = context.getStateStore<TimestampedKeyValueStore<K, VA>>(this.self.storeName);
        this.forwarder = new TimestampedTupleForwarder(this.store, context, this.self.sendOldValues);
      }

      process(record: Record<K, Change<V>>): void {
        if (record.key === null || record.key === undefined)
          throw new StreamsError(
            `Record key for KTable aggregate with store ${this.self.storeName} should not be null`,
          );
        const old = this.store.getWithTimestamp(record.key);
        const oldAgg = old === null ? null : old.value;
        let timestamp = record.timestamp;
        let intermediate = oldAgg;
        if (record.value.oldValue !== null && oldAgg !== null) {
          intermediate = this.self.remove(record.key, record.value.oldValue, oldAgg);
          timestamp = Math.max(record.timestamp, old!.timestamp);
        }
        let newAgg = intermediate;
        if (record.value.newValue !== null) {
          newAgg = this.self.add(record.key, record.value.newValue, intermediate);
          if (old !== null) timestamp = Math.max(record.timestamp, old.timestamp);
        }
        this.store.putWithTimestamp(record.key, newAgg, timestamp);
        this.forwarder.maybeForward(
          new Record(
            record.key,
            new Change<VA>(newAgg, this.self.sendOldValues ? oldAgg : null),
            timestamp,
            record.headers,
          ),
        );
      }
    })(this);
  }
}
