import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { TimestampedKeyValueStore } from '../../state/internals/timestamped-key-value-store';
import { Predicate } from '../kstream';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { bindDefaultSerdes } from './dsl-context';
import { KTableMaterialization } from './ktable-map-values';
import {
  KTableParent,
  KTableProcessorSupplier,
  KTableValueGetter,
  KTableValueGetterSupplier,
} from './ktable-processor-supplier';
import { storeValueGetterSupplier } from './ktable-source';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

/**
 * `KTable.filter`/`filterNot` (Kafka Streams' `KTableFilter`): a row that does not pass becomes a
 * delete (`Change(null, ...)`), so a filtered-out update removes the key downstream.
 */
export class KTableFilter<K, V> implements KTableProcessorSupplier<K, V, K, V> {
  private sendOldValues = false;

  constructor(
    private readonly parent: KTableParent<K, V>,
    private readonly predicate: Predicate<K, V>,
    private readonly filterNot: boolean,
    private readonly materialization: KTableMaterialization<K, V> | undefined,
  ) {}

  private computeValue(key: K, value: V | null): V | null {
    return value !== null && this.predicate(key, value) !== this.filterNot ? value : null;
  }

  enableSendingOldValues(forceMaterialization: boolean): boolean {
    if (this.materialization) {
      this.sendOldValues = true;
      return true;
    }
    if (this.parent.enableSendingOldValues(forceMaterialization)) this.sendOldValues = true;
    return this.sendOldValues;
  }

  view(): KTableValueGetterSupplier<K, V> {
    if (this.materialization) return storeValueGetterSupplier(this.materialization.storeName);
    const parent = this.parent.view();
    return {
      storeNames: () => parent.storeNames(),
      get: (): KTableValueGetter<K, V> => {
        const getter = parent.get();
        return {
          init: (context) => getter.init(context),
          get: (key) => {
            const vt = getter.get(key);
            return vt !== null && this.computeValue(key, vt.value) !== null ? vt : null;
          },
        };
      },
    };
  }

  get(): ContextualProcessor<K, Change<V>, K, Change<V>> {
    const m = this.materialization;
    return new (class extends ContextualProcessor<K, Change<V>, K, Change<V>> {
      constructor(private readonly self: KTableFilter<K, V>) {
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
        const key = record.key;
        const newValue = this.self.computeValue(key, record.value.newValue);
        const oldValue = !this.self.sendOldValues
          ? null
          : this.store
            ? (this.store.getWithTimestamp(key)?.value ?? null)
            : this.self.computeValue(key, record.value.oldValue);
        if (this.self.sendOldValues && oldValue === null && newValue === null) return;
        if (this.store) {
          this.store.putWithTimestamp(key, newValue, record.timestamp);
          this.forwarder!.maybeForward(record.withValue(new Change(newValue, oldValue)));
        } else {
          this.context.forward(record.withValue(new Change(newValue, oldValue)));
        }
      }
    })(this);
  }
}
