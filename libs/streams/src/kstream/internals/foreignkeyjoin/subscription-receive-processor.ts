import { ProcessorSupplier } from '../../../processor/processor';
import { ProcessorContext } from '../../../processor/processor-context';
import { Record } from '../../../processor/record';
import { TimestampedKeyValueStore } from '../../../state/internals/timestamped-key-value-store';
import { ValueAndTimestamp } from '../../../state/value-and-timestamp';
import { Change } from '../change';
import { ContextualProcessor } from '../contextual-processor';
import { recordDropped } from '../dsl-context';
import { CombinedKey, CombinedKeySchema } from './combined-key-schema';
import { ForeignKeyJoinSerdes } from './subscription-send-processor';
import { Instruction, SubscriptionWrapper } from './subscription-wrapper';

/**
 * The other table's side receiving subscriptions (Kafka Streams' `SubscriptionReceiveProcessorSupplier`):
 * records each subscription in the subscription store under `[foreign key][primary key]` (or
 * removes it for an unsubscribe) and forwards it, keyed by both keys, to the join with the
 * foreign row. A left join's subscription without a foreign key passes without being stored.
 */
export class SubscriptionReceiveProcessorSupplier<K, KO> implements ProcessorSupplier<
  KO | null,
  SubscriptionWrapper<K>,
  CombinedKey<KO, K>,
  Change<ValueAndTimestamp<SubscriptionWrapper<K>>>
> {
  constructor(
    private readonly storeName: string,
    private readonly keySchema: CombinedKeySchema<KO, K>,
    private readonly serdes: ForeignKeyJoinSerdes<K, unknown, KO, unknown>,
  ) {}

  get(): ContextualProcessor<
    KO | null,
    SubscriptionWrapper<K>,
    CombinedKey<KO, K>,
    Change<ValueAndTimestamp<SubscriptionWrapper<K>>>
  > {
    const { storeName, keySchema, serdes } = this;
    type Out = Change<ValueAndTimestamp<SubscriptionWrapper<K>>>;
    return new (class extends ContextualProcessor<
      KO | null,
      SubscriptionWrapper<K>,
      CombinedKey<KO, K>,
      Out
    > {
      private store!: TimestampedKeyValueStore<Buffer, SubscriptionWrapper<K>>;

      override init(context: ProcessorContext<CombinedKey<KO, K>, Out>): void {
        super.init(context);
        serdes.bind(context as ProcessorContext<unknown, unknown>);
        this.store =
          context.getStateStore<TimestampedKeyValueStore<Buffer, SubscriptionWrapper<K>>>(storeName);
      }

      process(record: Record<KO | null, SubscriptionWrapper<K>>): void {
        const wrapper = record.value;
        if (wrapper === null || wrapper === undefined) {
          recordDropped(this.context as ProcessorContext<unknown, unknown>, 'null_key_or_value');
          return;
        }
        const foreignKey = record.key ?? null;
        if (
          foreignKey === null &&
          wrapper.instruction !== Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE
        ) {
          recordDropped(this.context as ProcessorContext<unknown, unknown>, 'null_key_or_value');
          return;
        }
        const newValue = { value: wrapper, timestamp: record.timestamp };
        let change: Out;
        if (foreignKey === null) {
          change = new Change(newValue, null);
        } else {
          const key = keySchema.toBytes(foreignKey, wrapper.primaryKey);
          const oldValue = this.store.getWithTimestamp(key);
          if (
            wrapper.instruction === Instruction.DELETE_KEY_AND_PROPAGATE ||
            wrapper.instruction === Instruction.DELETE_KEY_NO_PROPAGATE
          )
            this.store.delete(key);
          else this.store.putWithTimestamp(key, wrapper, record.timestamp);
          change = new Change(newValue, oldValue);
        }
        this.context.forward(
          record.withKey({ foreignKey, primaryKey: wrapper.primaryKey }).withValue(change),
        );
      }
    })();
  }
}
