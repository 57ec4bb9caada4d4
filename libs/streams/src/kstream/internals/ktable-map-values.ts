import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { TimestampedKeyValueStore } from '../../state/internals/timestamped-key-value-store';
import { ValueMapper } from '../kstream';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { DeferredSerde } from './deferred-serde';
import { bindDefaultSerdes } from './dsl-context';
import {
  KTableParent,
  KTableProcessorSupplier,
  KTableValueGetter,
  KTableValueGetterSupplier,
} from './ktable-processor-supplier';
import { storeValueGetterSupplier } from './ktable-source';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';

/** The store a derived table (filter, mapValues) keeps its result in, when the user named one. */
export interface KTableMaterialization<K, V> {
  readonly storeName: string;
  readonly keySerde: DeferredSerde<K>;
  readonly valueSerde: DeferredSerde<V>;
}

/** `KTable.mapValues` (Kafka Streams' `KTableMapValues`): a deleted row stays deleted. */
export class KTableMapValues<K, V, VR> implements KTableProcessorSupplier<K, V, K, VR> {
  private sendOldValues = false;

  constructor(
    private readonly parent: KTableParent<K, V>,
    private readonly mapper: ValueMapper<K, V, VR>,
    private readonly materialization: KTableMaterialization<K, VR> | undefined,
  ) {}

  private computeValue(key: K, value: V | null): VR | null {
    return value === null ? null : this.mapper(value, key);
  }

  enableSendingOldValues(forceMaterialization: boolean): boolean {
    if (this.materialization) {
      this.sendOldValues = true;
      return true;
    }
    if (this.parent.enableSendingOldValues(forceMaterialization)) this.sendOldValues = true;
    return this.sendOldValues;
  }

  view(): KTableValueGetterSupplier<K, VR> {
    if (this.materialization) return storeValueGetterSupplier(this.materialization.storeName);
    const parent = this.parent.view();
    return {
      storeNames: () => parent.storeNames(),
      get: (): KTableValueGetter<K, VR> => {
        const getter = parent.get();
        return {
          init: (context) => getter.init(context),
          get: (key) => {
            const vt = getter.get(key);
            if (vt === null) return null;
            const value = this.computeValue(key, vt.value);
            return value === null ? null : { value, timestamp: vt.timestamp };
          },
        };
      },
    };
  }

  get(): ContextualProcessor<K, Change<V>, K, Change<VR>> {
    const m = this.materialization;
    return new (class extends ContextualProcessor<K, Change<V>, K, Change<VR>> {
      constructor(private readonly self: KTableMapValues<K, V, VR>) {
        super();
      }

      private store: TimestampedKeyValueStore<K, VR> | undefined;
      private forwarder: TimestampedTupleForwarder<K, VR> | undefined;

      override init(context: ProcessorContext<K, Change<VR>>): void {
        super.init(context);
        if (!m) return;
        bindDefaultSerdes(context, m.keySerde, m.valueSerde);
        this.store = context.getStateStore<TimestampedKeyValueStore<K, VR>>(m.storeName);
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
