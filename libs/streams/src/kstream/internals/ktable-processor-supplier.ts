import { ProcessorSupplier } from '../../processor/processor';
import { ProcessorContext } from '../../processor/processor-context';
import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import { Change } from './change';

/** Reads a table's current value of a key (Kafka Streams' `KTableValueGetter`): for joins and derived tables. */
export interface KTableValueGetter<K, V> {
  init(context: ProcessorContext<unknown, unknown>): void;
  get(key: K): ValueAndTimestamp<V> | null;
}

/** Creates value getters; `storeNames()` are the stores a processor using them must be connected to. */
export interface KTableValueGetterSupplier<K, V> {
  get(): KTableValueGetter<K, V>;
  storeNames(): string[];
}

/**
 * The processor behind a KTable node (Kafka Streams' `KTableProcessorSupplier`): it consumes and
 * forwards {@link Change}s, offers a view of its current values, and can be asked to send old values.
 */
export interface KTableProcessorSupplier<KIn, VIn, KOut, VOut> extends ProcessorSupplier<
  KIn,
  Change<VIn>,
  KOut,
  Change<VOut>
> {
  view(): KTableValueGetterSupplier<KOut, VOut>;
  /**
   * Makes the processor forward old values too (downstream needs them: aggregations with a
   * subtractor, joins). Returns false if it cannot (not materialized and `forceMaterialization` false).
   */
  enableSendingOldValues(forceMaterialization: boolean): boolean;
}

/** What a KTable operator needs of its parent table: a view of its values, and old values on request. */
export interface KTableParent<K, V> {
  view(): KTableValueGetterSupplier<K, V>;
  enableSendingOldValues(forceMaterialization: boolean): boolean;
}
