import { ProcessorSupplier } from '../../processor/processor';
import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { ContextualProcessor } from './contextual-processor';
import { recordDropped } from './dsl-context';
import { KTableValueGetter, KTableValueGetterSupplier } from './ktable-processor-supplier';
import type { KeyedJoiner } from './kstream-kstream-join';

/**
 * A stream-table (or stream-global-table) join (Kafka Streams' `KStreamKTableJoin` and its
 * processor): each stream record looks up the table's current value for `keyMapper(key, value)`
 * and, if there is one (or always, for a left join), forwards `joiner(key, value, tableValue)` with
 * the stream record's timestamp. Table updates emit nothing. Records whose join key or value is
 * null are dropped and counted, except that a left join passes a null-key record joined with null.
 */
export class KStreamKTableJoin<K, V, KT, VT, VR> implements ProcessorSupplier<K, V, K, VR> {
  constructor(
    private readonly valueGetterSupplier: KTableValueGetterSupplier<KT, VT>,
    private readonly keyMapper: (key: K, value: V) => KT,
    private readonly joiner: KeyedJoiner<K, V, VT, VR>,
    private readonly leftJoin: boolean,
  ) {}

  get(): ContextualProcessor<K, V, K, VR> {
    const { keyMapper, joiner, leftJoin } = this;
    const getter: KTableValueGetter<KT, VT> = this.valueGetterSupplier.get();
    return new (class extends ContextualProcessor<K, V, K, VR> {
      override init(context: ProcessorContext<K, VR>): void {
        super.init(context);
        getter.init(context as ProcessorContext<unknown, unknown>);
      }
      process(record: Record<K, V>): void {
        const nullValue = record.value === null || record.value === undefined;
        const nullKey = record.key === null || record.key === undefined;
        if (leftJoin && nullKey && !nullValue) {
          this.context.forward(record.withValue(joiner(record.key, record.value, null)));
          return;
        }
        const mapped = nullValue ? null : keyMapper(record.key, record.value);
        if (mapped === null || mapped === undefined || nullValue) {
          recordDropped(this.context as ProcessorContext<unknown, unknown>, 'null_key_or_value');
          return;
        }
        const other = getter.get(mapped)?.value ?? null;
        if (leftJoin || other !== null)
          this.context.forward(record.withValue(joiner(record.key, record.value, other)));
      }
    })();
  }
}
