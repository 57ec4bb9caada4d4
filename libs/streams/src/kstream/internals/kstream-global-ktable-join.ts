import type { ProcessorSupplier } from '../../processor/processor';
import type { ProcessorContext } from '../../processor/processor-context';
import type { Record } from '../../processor/record';
import { ContextualProcessor } from './contextual-processor';
import { recordDropped } from './dsl-context';
import type { KTableValueGetter, KTableValueGetterSupplier } from './ktable-processor-supplier';
import type { KeyedJoiner } from './kstream-kstream-join';

/**
 * A stream-global-table join (Kafka Streams' `KStreamGlobalKTableJoin` over
 * `KStreamKTableJoinProcessor`): each stream record looks up `keySelector(key, value)` in the
 * global store. A record is dropped (and counted as `null_key_or_value`) when its value or its
 * selected key is null, except that a left join keeps a record with a null key and a value (its
 * key selector still chooses the lookup key). A match forwards `joiner(key, value, globalValue)`;
 * no match forwards `joiner(key, value, null)` for a left join and nothing for an inner join. The
 * output keeps the stream record's key and timestamp; global table updates emit nothing.
 */
export class KStreamGlobalKTableJoin<K, V, KG, VG, VR> implements ProcessorSupplier<K, V, K, VR> {
  constructor(
    private readonly valueGetterSupplier: KTableValueGetterSupplier<KG, VG>,
    private readonly joiner: KeyedJoiner<K, V, VG, VR>,
    private readonly keySelector: (key: K, value: V) => KG | null | undefined,
    private readonly leftJoin: boolean,
  ) {}

  get(): ContextualProcessor<K, V, K, VR> {
    const { joiner, keySelector, leftJoin } = this;
    const getter: KTableValueGetter<KG, VG> = this.valueGetterSupplier.get();
    return new (class extends ContextualProcessor<K, V, K, VR> {
      override init(context: ProcessorContext<K, VR>): void {
        super.init(context);
        getter.init(context as ProcessorContext<unknown, unknown>);
      }

      process(record: Record<K, V>): void {
        const nullValue = record.value === null || record.value === undefined;
        const mapped = keySelector(record.key, record.value);
        const nullMapped = mapped === null || mapped === undefined;
        const keepNullKey = leftJoin && (record.key === null || record.key === undefined) && !nullValue;
        if (!keepNullKey && (nullMapped || nullValue)) {
          recordDropped(this.context as ProcessorContext<unknown, unknown>, 'null_key_or_value');
          return;
        }
        const other = nullMapped ? null : (getter.get(mapped)?.value ?? null);
        if (leftJoin || other !== null)
          this.context.forward(record.withValue(joiner(record.key, record.value, other)));
      }
    })();
  }
}
