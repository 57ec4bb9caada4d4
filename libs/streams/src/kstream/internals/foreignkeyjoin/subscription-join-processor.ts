import { ProcessorSupplier } from '../../../processor/processor';
import { ProcessorContext } from '../../../processor/processor-context';
import { Record } from '../../../processor/record';
import { ValueAndTimestamp } from '../../../state/value-and-timestamp';
import { Change } from '../change';
import { ContextualProcessor } from '../contextual-processor';
import { KTableValueGetterSupplier } from '../ktable-processor-supplier';
import { CombinedKey } from './combined-key-schema';
import { SubscriptionResponseWrapper } from './subscription-response-wrapper';
import { Instruction, SubscriptionWrapper } from './subscription-wrapper';

/**
 * Answers a subscription with the foreign row (Kafka Streams' `SubscriptionJoinProcessorSupplier`):
 * looks the foreign key up in the other table and sends a response keyed by the primary key, as
 * the instruction says, at the later of the subscription's and the foreign row's timestamps.
 */
export class SubscriptionJoinProcessorSupplier<K, KO, VO> implements ProcessorSupplier<
  CombinedKey<KO, K>,
  Change<ValueAndTimestamp<SubscriptionWrapper<K>>>,
  K,
  SubscriptionResponseWrapper<VO>
> {
  constructor(private readonly foreignValueGetterSupplier: KTableValueGetterSupplier<KO, VO>) {}

  get(): ContextualProcessor<
    CombinedKey<KO, K>,
    Change<ValueAndTimestamp<SubscriptionWrapper<K>>>,
    K,
    SubscriptionResponseWrapper<VO>
  > {
    const getter = this.foreignValueGetterSupplier.get();
    type In = Change<ValueAndTimestamp<SubscriptionWrapper<K>>>;
    return new (class extends ContextualProcessor<
      CombinedKey<KO, K>,
      In,
      K,
      SubscriptionResponseWrapper<VO>
    > {
      override init(context: ProcessorContext<K, SubscriptionResponseWrapper<VO>>): void {
        super.init(context);
        getter.init(context as ProcessorContext<unknown, unknown>);
      }

      process(record: Record<CombinedKey<KO, K>, In>): void {
        const subscription = record.value.newValue!;
        const wrapper = subscription.value;
        const foreignKey = record.key.foreignKey;
        const foreign = foreignKey === null ? null : getter.get(foreignKey);
        const timestamp = foreign
          ? Math.max(subscription.timestamp, foreign.timestamp)
          : subscription.timestamp;
        const respond = (foreignValue: VO | null) =>
          this.context.forward(
            record
              .withKey(wrapper.primaryKey)
              .withValue({
                originalValueHash: wrapper.hash,
                foreignValue,
                primaryPartition: wrapper.primaryPartition,
              })
              .withTimestamp(timestamp),
          );
        switch (wrapper.instruction) {
          case Instruction.DELETE_KEY_AND_PROPAGATE:
            respond(null);
            break;
          case Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE:
            respond(foreign?.value ?? null);
            break;
          case Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE:
            if (foreign) respond(foreign.value);
            break;
          case Instruction.DELETE_KEY_NO_PROPAGATE:
            break;
        }
      }
    })();
  }
}
