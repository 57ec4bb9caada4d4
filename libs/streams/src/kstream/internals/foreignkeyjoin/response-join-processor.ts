import { ProcessorSupplier } from '../../../processor/processor';
import { ProcessorContext } from '../../../processor/processor-context';
import { Record } from '../../../processor/record';
import { ContextualProcessor } from '../contextual-processor';
import { recordDropped } from '../dsl-context';
import { KTableValueGetterSupplier } from '../ktable-processor-supplier';
import { murmur3Hash128 } from './murmur3';
import { SubscriptionResponseWrapper } from './subscription-response-wrapper';
import { ForeignKeyJoinSerdes } from './subscription-send-processor';

/**
 * Resolves a response against the primary row (Kafka Streams' `ResponseJoinProcessorSupplier`):
 * if the hash of the row's current value equals the hash the response carries, the response
 * belongs to the current value and `joiner(row, foreignValue)` is forwarded (`null`, a delete, when
 * an inner join has no foreign value or the row is gone); otherwise the response was computed for
 * an older value of the row and is dropped (counted as `stale_fk_response`), since the response to
 * the newer subscription is on its way.
 */
export class ResponseJoinProcessorSupplier<K, V, VO, VR> implements ProcessorSupplier<
  K,
  SubscriptionResponseWrapper<VO>,
  K,
  VR | null
> {
  constructor(
    private readonly valueGetterSupplier: KTableValueGetterSupplier<K, V>,
    private readonly serdes: ForeignKeyJoinSerdes<K, V, unknown, VO>,
    private readonly valueHashTopic: string,
    private readonly joiner: (value: V | null, foreignValue: VO | null) => VR,
    private readonly leftJoin: boolean,
  ) {}

  get(): ContextualProcessor<K, SubscriptionResponseWrapper<VO>, K, VR | null> {
    const { serdes, valueHashTopic, joiner, leftJoin } = this;
    const getter = this.valueGetterSupplier.get();
    return new (class extends ContextualProcessor<K, SubscriptionResponseWrapper<VO>, K, VR | null> {
      override init(context: ProcessorContext<K, VR | null>): void {
        super.init(context);
        serdes.bind(context as ProcessorContext<unknown, unknown>);
        getter.init(context as ProcessorContext<unknown, unknown>);
      }

      process(record: Record<K, SubscriptionResponseWrapper<VO>>): void {
        const current = getter.get(record.key);
        const bytes =
          current === null ? null : serdes.primaryValue.serializer().serialize(valueHashTopic, current.value);
        const currentHash = bytes === null ? null : murmur3Hash128(bytes);
        const messageHash = record.value.originalValueHash;
        const same =
          currentHash === null || messageHash === null
            ? currentHash === messageHash
            : currentHash.equals(messageHash);
        if (!same) {
          recordDropped(this.context as ProcessorContext<unknown, unknown>, 'stale_fk_response');
          return;
        }
        const foreignValue = record.value.foreignValue;
        const result =
          foreignValue === null && (!leftJoin || current === null)
            ? null
            : joiner(current?.value ?? null, foreignValue);
        this.context.forward(record.withValue(result));
      }
    })();
  }
}
