import { SerializationError } from '../../../errors/serialization-error';
import { Deserializer, Serde, Serializer } from '../../../serialization/serde';

/** What the other table's side does with a subscription (Kafka Streams' `SubscriptionWrapper.Instruction`). */
export enum Instruction {
  /** Unsubscribe; send nothing (the row moved to another foreign key, whose response follows). */
  DELETE_KEY_NO_PROPAGATE = 0,
  /** Unsubscribe and send a response with no foreign value (the join result disappears). */
  DELETE_KEY_AND_PROPAGATE = 1,
  /** Subscribe and respond with the foreign value, or with none if absent (left joins, updates). */
  PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE = 2,
  /** Subscribe and respond only if the foreign row exists (a new row of an inner join). */
  PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE = 3,
}

/** The version this library writes (Kafka Streams' `SubscriptionWrapper.CURRENT_VERSION`, with the primary partition). */
export const SUBSCRIPTION_WRAPPER_VERSION = 1;

/**
 * A subscription from a row of the primary table to the foreign key its value names (Kafka Streams'
 * `SubscriptionWrapper`): the hash of the row's value when it was sent (`null` for a delete), the
 * instruction, the primary key, and the partition of the primary row, where the response must go.
 */
export interface SubscriptionWrapper<K> {
  readonly hash: Buffer | null;
  readonly instruction: Instruction;
  readonly primaryKey: K;
  readonly primaryPartition: number;
  readonly version: number;
}

/**
 * Serde of a {@link SubscriptionWrapper}, in Kafka Streams' format (version 1): one byte of version
 * (bit 7 set when the hash is null), one byte of instruction, the 16-byte hash when present, the
 * primary key's bytes, then the primary partition as an int32.
 */
export class SubscriptionWrapperSerde<K> implements Serde<SubscriptionWrapper<K>> {
  constructor(
    private readonly primaryKeySerde: Serde<K>,
    private readonly primaryKeyTopic: string,
  ) {}

  serializer(): Serializer<SubscriptionWrapper<K>> {
    return {
      serialize: (_topic, data) => {
        if (data === null || data === undefined) return null;
        const pk = this.primaryKeySerde.serializer().serialize(this.primaryKeyTopic, data.primaryKey);
        if (pk === null)
          throw new SerializationError('SubscriptionWrapper: the primary key serialized to null');
        const hashLength = data.hash ? 16 : 0;
        const out = Buffer.allocUnsafe(2 + hashLength + pk.length + 4);
        out.writeUInt8(data.hash ? data.version : data.version | 0x80, 0);
        out.writeUInt8(data.instruction, 1);
        if (data.hash) data.hash.copy(out, 2);
        pk.copy(out, 2 + hashLength);
        out.writeInt32BE(data.primaryPartition, 2 + hashLength + pk.length);
        return out;
      },
    };
  }

  deserializer(): Deserializer<SubscriptionWrapper<K>> {
    return {
      deserialize: (topic, data) => {
        if (data === null || data === undefined) return null;
        if (data.length < 6) throw new SerializationError(`SubscriptionWrapper on "${topic}": too short`);
        const first = data.readUInt8(0);
        const version = first & 0x7f;
        if (version !== SUBSCRIPTION_WRAPPER_VERSION)
          throw new SerializationError(`SubscriptionWrapper on "${topic}": unsupported version ${version}`);
        const instruction = data.readUInt8(1);
        if (!(instruction in Instruction))
          throw new SerializationError(
            `SubscriptionWrapper on "${topic}": unknown instruction ${instruction}`,
          );
        const hashLength = first & 0x80 ? 0 : 16;
        if (data.length < 6 + hashLength)
          throw new SerializationError(`SubscriptionWrapper on "${topic}": too short`);
        const hash = hashLength ? Buffer.from(data.subarray(2, 18)) : null;
        const pkBytes = data.subarray(2 + hashLength, data.length - 4);
        const primaryKey = this.primaryKeySerde
          .deserializer()
          .deserialize(this.primaryKeyTopic, pkBytes) as K;
        return {
          hash,
          instruction,
          primaryKey,
          primaryPartition: data.readInt32BE(data.length - 4),
          version,
        };
      },
    };
  }
}
