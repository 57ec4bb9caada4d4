import { ProcessorSupplier } from '../../../processor/processor';
import { ProcessorContext } from '../../../processor/processor-context';
import { Record } from '../../../processor/record';
import { Serde } from '../../../serialization/serde';
import { Change } from '../change';
import { ContextualProcessor } from '../contextual-processor';
import { recordDropped } from '../dsl-context';
import { murmur3Hash128 } from './murmur3';
import { Instruction, SUBSCRIPTION_WRAPPER_VERSION, SubscriptionWrapper } from './subscription-wrapper';

/** Serdes of the foreign-key join, bound to the config's defaults when its processors start. */
export interface ForeignKeyJoinSerdes<K, V, KO, VO> {
  readonly primaryKey: Serde<K>;
  readonly primaryValue: Serde<V>;
  readonly foreignKey: Serde<KO>;
  readonly foreignValue: Serde<VO>;
  /** Binds the deferred ones to the defaults of `context`. */
  bind(context: ProcessorContext<unknown, unknown>): void;
}

/**
 * The primary table's side of a foreign-key join (Kafka Streams' `SubscriptionSendProcessorSupplier`
 * as apache/kafka#20605 left it, with the fixes of KAFKA-16394/KAFKA-18713 and KAFKA-16407): turns
 * each update of a row into subscriptions keyed by foreign key, each carrying the hash of the row's
 * new value. A row whose foreign key changes unsubscribes from the old one without a response (the
 * new key's response gives the result); an inner join's delete unsubscribes and asks for a
 * tombstone, a left join's asks for its one tombstone through a `null` foreign key; a `null`
 * foreign key is dropped and counted by an inner join (after unsubscribing the old key), and joined
 * with `null` by a left join.
 */
export class SubscriptionSendProcessorSupplier<K, V, KO> implements ProcessorSupplier<
  K,
  Change<V>,
  KO | null,
  SubscriptionWrapper<K>
> {
  constructor(
    private readonly foreignKeyExtractor: (value: V) => KO | null,
    private readonly serdes: ForeignKeyJoinSerdes<K, V, KO, unknown>,
    private readonly foreignKeyTopic: string,
    private readonly valueHashTopic: string,
    private readonly leftJoin: boolean,
  ) {}

  get(): ContextualProcessor<K, Change<V>, KO | null, SubscriptionWrapper<K>> {
    const { foreignKeyExtractor, serdes, foreignKeyTopic, valueHashTopic, leftJoin } = this;
    const fk = (value: V | null): KO | null => (value === null ? null : (foreignKeyExtractor(value) ?? null));
    return new (class extends ContextualProcessor<K, Change<V>, KO | null, SubscriptionWrapper<K>> {
      private hash: Buffer | null | undefined;

      override init(context: ProcessorContext<KO | null, SubscriptionWrapper<K>>): void {
        super.init(context);
        serdes.bind(context as ProcessorContext<unknown, unknown>);
      }

      process(record: Record<K, Change<V>>): void {
        this.hash = undefined;
        if (leftJoin) this.leftJoinInstructions(record);
        else this.innerJoinInstructions(record);
      }

      // Kafka Streams' leftJoinInstructions since KAFKA-16394 (apache/kafka#20605): the old key is
      // unsubscribed without a response, so a changed foreign key emits only the new key's result
      // (not `joiner(v, null)` first) and a delete one tombstone (not two).
      private leftJoinInstructions(record: Record<K, Change<V>>): void {
        const { newValue, oldValue } = record.value;
        if (oldValue === null && newValue === null) return;
        const oldFk = fk(oldValue);
        const newFk = fk(newValue);
        if (oldFk !== null && !this.sameKey(oldFk, newFk))
          this.send(record, oldFk, Instruction.DELETE_KEY_NO_PROPAGATE);
        // every update, a delete included (through a null key), is answered with the row's result
        this.send(record, newFk, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
      }

      // Kafka Streams' defaultJoinInstructions since KAFKA-16407 (a foreign key changing from or to
      // null updates the result) and apache/kafka#20605: an update that keeps its foreign key answers
      // only if the foreign row exists (without one the row did not join before either).
      private innerJoinInstructions(record: Record<K, Change<V>>): void {
        const { newValue, oldValue } = record.value;
        const oldFk = fk(oldValue);
        if (newValue === null) {
          if (oldFk !== null) this.send(record, oldFk, Instruction.DELETE_KEY_AND_PROPAGATE);
          return;
        }
        const newFk = fk(newValue);
        if (newFk === null) {
          this.droppedNullForeignKey();
          if (oldFk !== null) this.send(record, oldFk, Instruction.DELETE_KEY_AND_PROPAGATE);
        } else if (oldFk === null) {
          this.send(record, newFk, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE);
        } else if (this.sameKey(oldFk, newFk)) {
          this.send(record, newFk, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE);
        } else {
          this.send(record, oldFk, Instruction.DELETE_KEY_NO_PROPAGATE);
          this.send(record, newFk, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
        }
      }

      private sameKey(a: KO, b: KO | null): boolean {
        if (b === null) return false;
        const ser = serdes.foreignKey.serializer();
        const x = ser.serialize(foreignKeyTopic, a);
        const y = ser.serialize(foreignKeyTopic, b);
        return x !== null && y !== null && x.equals(y);
      }

      private valueHash(newValue: V | null): Buffer | null {
        if (this.hash === undefined) {
          const bytes =
            newValue === null ? null : serdes.primaryValue.serializer().serialize(valueHashTopic, newValue);
          this.hash = bytes === null ? null : murmur3Hash128(bytes);
        }
        return this.hash;
      }

      private send(record: Record<K, Change<V>>, foreignKey: KO | null, instruction: Instruction): void {
        const wrapper: SubscriptionWrapper<K> = {
          hash: this.valueHash(record.value.newValue),
          instruction,
          primaryKey: record.key,
          primaryPartition: this.context.taskId.partition,
          version: SUBSCRIPTION_WRAPPER_VERSION,
        };
        this.context.forward(record.withKey(foreignKey).withValue(wrapper));
      }

      private droppedNullForeignKey(): void {
        recordDropped(this.context as ProcessorContext<unknown, unknown>, 'null_key_or_value');
      }
    })();
  }
}
