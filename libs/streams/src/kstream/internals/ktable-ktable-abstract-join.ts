import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { recordDropped } from './dsl-context';
import {
  KTableProcessorSupplier,
  KTableValueGetter,
  KTableValueGetterSupplier,
} from './ktable-processor-supplier';

/** A table-table joiner; the absent side of a left or outer join is `null`. */
export type TableJoiner<V1, V2, VR> = (value1: V1 | null, value2: V2 | null) => VR;

/** The view a join side needs of its table: a value getter, and old values on request. */
export interface JoinSideTable<K, V> {
  valueGetterSupplier(): KTableValueGetterSupplier<K, V>;
  enableSendingOldValues(forceMaterialization: boolean): boolean;
}

/** Timestamp of an absent side (Kafka Streams' `UNKNOWN`): `max` with any record timestamp ignores it. */
export const UNKNOWN_TIMESTAMP = -1;

/**
 * One side of a table-table join (Kafka Streams' `KTableKTableAbstractJoin`): a processor that
 * receives `table1`'s `Change`s and looks the key up in `table2` through its value getter, and a
 * view that joins both getters. Table-table joins need both tables materialized and, once a
 * downstream asks for old values, both sending them.
 */
export abstract class KTableKTableAbstractJoin<K, V1, V2, VOut> implements KTableProcessorSupplier<
  K,
  V1,
  K,
  VOut
> {
  protected readonly valueGetterSupplier1: KTableValueGetterSupplier<K, V1>;
  protected readonly valueGetterSupplier2: KTableValueGetterSupplier<K, V2>;
  protected sendOldValues = false;

  constructor(
    private readonly table1: JoinSideTable<K, V1>,
    private readonly table2: JoinSideTable<K, V2>,
    protected readonly joiner: TableJoiner<V1, V2, VOut>,
  ) {
    this.valueGetterSupplier1 = table1.valueGetterSupplier();
    this.valueGetterSupplier2 = table2.valueGetterSupplier();
  }

  enableSendingOldValues(_forceMaterialization: boolean): boolean {
    this.table1.enableSendingOldValues(true);
    this.table2.enableSendingOldValues(true);
    this.sendOldValues = true;
    return true;
  }

  /**
   * The join of `change` (table1's update of `key`) with table2's current value `other`: the
   * `Change` to forward and its timestamp, or `undefined` to forward nothing.
   */
  protected abstract join(
    change: Change<V1>,
    other: ValueAndTimestamp<V2> | null,
    timestamp: number,
  ): { change: Change<VOut>; timestamp: number } | undefined;

  /** The joined value of `key` from both tables' current values, or `null` when there is none. */
  protected abstract joinValues(
    v1: ValueAndTimestamp<V1> | null,
    v2: ValueAndTimestamp<V2> | null,
  ): ValueAndTimestamp<VOut> | null;

  view(): KTableValueGetterSupplier<K, VOut> {
    const s1 = this.valueGetterSupplier1;
    const s2 = this.valueGetterSupplier2;
    return {
      storeNames: () => [...new Set([...s1.storeNames(), ...s2.storeNames()])],
      get: (): KTableValueGetter<K, VOut> => {
        const g1 = s1.get();
        const g2 = s2.get();
        return {
          init: (context) => {
            g1.init(context);
            g2.init(context);
          },
          get: (key) => this.joinValues(g1.get(key), g2.get(key)),
        };
      },
    };
  }

  get(): ContextualProcessor<K, Change<V1>, K, Change<VOut>> {
    const getter = this.valueGetterSupplier2.get();
    const join = (change: Change<V1>, other: ValueAndTimestamp<V2> | null, timestamp: number) =>
      this.join(change, other, timestamp);
    return new (class extends ContextualProcessor<K, Change<V1>, K, Change<VOut>> {
      override init(context: ProcessorContext<K, Change<VOut>>): void {
        super.init(context);
        getter.init(context as ProcessorContext<unknown, unknown>);
      }

      process(record: Record<K, Change<V1>>): void {
        if (record.key === null || record.key === undefined) {
          recordDropped(this.context as ProcessorContext<unknown, unknown>, 'null_key_or_value');
          return;
        }
        const out = join(record.value, getter.get(record.key), record.timestamp);
        if (out) this.context.forward(record.withValue(out.change).withTimestamp(out.timestamp));
      }
    })();
  }
}
