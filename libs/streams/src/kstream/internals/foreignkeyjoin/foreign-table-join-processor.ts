import { ProcessorSupplier } from '../../../processor/processor';
import { ProcessorContext } from '../../../processor/processor-context';
import { Record } from '../../../processor/record';
import { Serdes } from '../../../serialization/serdes';
import { TimestampedKeyValueStore } from '../../../state/internals/timestamped-key-value-store';
import { Change } from '../change';
import { ContextualProcessor } from '../contextual-processor';
import { recordDropped } from '../dsl-context';
import { CombinedKeySchema } from './combined-key-schema';
import { SubscriptionResponseWrapper } from './subscription-response-wrapper';
import { ForeignKeyJoinSerdes } from './subscription-send-processor';
import { SubscriptionWrapper } from './subscription-wrapper';

const BYTES = Serdes.Buffer().serializer();

/**
 * Sends each update of the other table to its subscribers (Kafka Streams'
 * `ForeignTableJoinProcessorSupplier`): a prefix scan of the subscription store by the foreign key
 * finds every primary row that refers to it; each gets a response with the new foreign value
 * (`null` for a delete) and the value hash its subscription carried.
 */
export class ForeignTableJoinProcessorSupplier<K, KO, VO> implements ProcessorSupplier<
  KO,
  Change<VO>,
  K,
  SubscriptionResponseWrapper<VO>
> {
  constructor(
    private readonly storeName: string,
    private readonly keySchema: CombinedKeySchema<KO, K>,
    private readonly serdes: ForeignKeyJoinSerdes<K, unknown, KO, VO>,
  ) {}

  get(): ContextualProcessor<KO, Change<VO>, K, SubscriptionResponseWrapper<VO>> {
    const { storeName, keySchema, serdes } = this;
    return new (class extends ContextualProcessor<KO, Change<VO>, K, SubscriptionResponseWrapper<VO>> {
      private store!: TimestampedKeyValueStore<Buffer, SubscriptionWrapper<K>>;

      override init(context: ProcessorContext<K, SubscriptionResponseWrapper<VO>>): void {
        super.init(context);
        serdes.bind(context as ProcessorContext<unknown, unknown>);
        this.store =
          context.getStateStore<TimestampedKeyValueStore<Buffer, SubscriptionWrapper<K>>>(storeName);
      }

      process(record: Record<KO, Change<VO>>): void {
        if (record.key === null || record.key === undefined) {
          recordDropped(this.context as ProcessorContext<unknown, unknown>, 'null_key_or_value');
          return;
        }
        const it = this.store.prefixScan(keySchema.prefixBytes(record.key), BYTES);
        const subscribers: Array<{ key: Buffer; value: SubscriptionWrapper<K> }> = [];
        try {
          for (let r = it.next(); !r.done; r = it.next()) subscribers.push(r.value);
        } finally {
          it.close();
        }
        for (const s of subscribers) {
          const wrapper = s.value;
          this.context.forward(
            record.withKey(keySchema.fromBytes(s.key).primaryKey).withValue({
              originalValueHash: wrapper.hash,
              foreignValue: record.value.newValue,
              primaryPartition: wrapper.primaryPartition,
            }),
          );
        }
      }
    })();
  }
}
