import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { TimestampedKeyValueStore } from '../../state/internals/timestamped-key-value-store';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { bindDefaultSerdes } from './dsl-context';
import { KTableMaterialization } from './ktable-map-values';
import {
  KTableProcessorSupplier,
  KTableValueGetter,
  KTableValueGetterSupplier,
} from './ktable-processor-supplier';
import { storeValueGetterSupplier } from './ktable-source';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

/**
 * The node after both sides of a table-table join (Kafka Streams' `KTableKTableJoinMerger`): the
 * join's table. Materialized, it writes each joined value to its store and forwards through the
 * store's cache (latest value per key on commit, caching on) or at once; otherwise it forwards
 * both sides' `Change`s, with old values only when a downstream asked for them.
 */
export class KTableKTableJoinMerger<K, V> implements KTableProcessorSupplier<K, V, K, V> {
  private sendOldValues = false;

  constructor(
    private readonly parent1: KTableProcessorSupplier<K, unknown, K, V>,
    private readonly parent2: KTableProcessorSupplier<K, unknown, K, V>,
    private readonly materialization: KTableMaterialization<K, V> | undefined,
  ) {}

  view(): KTableValueGetterSupplier<K, V> {
    if (this.materialization) return storeValueGetterSupplier(this.materialization.storeName);
    const v1 = this.parent1.view();
    const v2 = this.parent2.view();
    return {
      storeNames: () => [...new Set([...v1.storeNames(), ...v2.storeNames()])],
      get: (): KTableValueGetter<K, V> => v1.get(),
    };
  }

  enableSendingOldValues(_forceMaterialization: boolean): boolean {
    this.parent1.enableSendingOldValues(true);
    this.parent2.enableSendingOldValues(true);
    this.sendOldValues = true;
    return true;
  }

  get(): ContextualProcessor<K, Change<V>, K, Change<V>> {
    const m = this.materialization;
    return new (class extends ContextualProcessor<K, Change<V>, K, Change<V>> {
      constructor(private readonly self: KTableKTableJoinMerger<K, V>) {
        super();
      }

      private store: TimestampedKeyValueStore<K, V> | undefined;
      private forwarder: TimestampedTupleForwarder<K, V> | undefined;

      override init(context: ProcessorContext<K, Change<V>>): void {
        super.init(context);
        if (!m) return;
        bindDefaultSerdes(context, m.keySerde, m.valueSerde);
        this.store = context.getStateStore<TimestampedKeyValueStore<K, V>>(m.storeName);
        this.forwarder = new TimestampedTupleForwarder(this.store, context, this.self.sendOldValues);
      }

      process(record: Record<K, Change<V>>): void {
        const out = this.self.sendOldValues
          ? record
          : record.withValue(new Change<V>(record.value.newValue, null));
        if (this.store) {
          this.store.putWithTimestamp(record.key, record.value.newValue, record.timestamp);
          this.forwarder!.maybeForward(out);
        } else {
          this.context.forward(out);
        }
      }
    })(this);
  }
}
