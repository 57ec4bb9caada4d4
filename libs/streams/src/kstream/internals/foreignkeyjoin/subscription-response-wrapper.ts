import { SerializationError } from '../../../errors/serialization-error';
import { Deserializer, Serde, Serializer } from '../../../serialization/serde';

/**
 * The other table's answer to a subscription (Kafka Streams' `SubscriptionResponseWrapper`): the
 * foreign value (`null` when absent or unsubscribed) with the hash of the primary row's value the
 * subscription carried; `primaryPartition` routes it back (not serialized).
 */
export interface SubscriptionResponseWrapper<VO> {
  readonly originalValueHash: Buffer | null;
  readonly foreignValue: VO | null;
  readonly primaryPartition?: number;
}

/**
 * Serde of a {@link SubscriptionResponseWrapper} in Kafka Streams' format (version 0): one byte of
 * version (bit 7 set when the hash is null), the 16-byte hash when present, then the foreign value's
 * bytes (none for `null`).
 */
export class SubscriptionResponseWrapperSerde<VO> implements Serde<SubscriptionResponseWrapper<VO>> {
  constructor(private readonly foreignValueSerde: Serde<VO>) {}

  serializer(): Serializer<SubscriptionResponseWrapper<VO>> {
    return {
      serialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        const value =
          data.foreignValue === null
            ? null
            : this.foreignValueSerde.serializer().serialize(topic, data.foreignValue, headers);
        const hashLength = data.originalValueHash ? 16 : 0;
        const out = Buffer.allocUnsafe(1 + hashLength + (value?.length ?? 0));
        out.writeUInt8(data.originalValueHash ? 0 : 0x80, 0);
        if (data.originalValueHash) data.originalValueHash.copy(out, 1);
        if (value) value.copy(out, 1 + hashLength);
        return out;
      },
    };
  }

  deserializer(): Deserializer<SubscriptionResponseWrapper<VO>> {
    return {
      deserialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        if (data.length < 1) throw new SerializationError(`SubscriptionResponseWrapper on "${topic}": empty`);
        const first = data.readUInt8(0);
        if ((first & 0x7f) !== 0)
          throw new SerializationError(
            `SubscriptionResponseWrapper on "${topic}": unsupported version ${first & 0x7f}`,
          );
        const hashLength = first & 0x80 ? 0 : 16;
        if (data.length < 1 + hashLength)
          throw new SerializationError(`SubscriptionResponseWrapper on "${topic}": too short`);
        const rest = data.subarray(1 + hashLength);
        return {
          originalValueHash: hashLength ? Buffer.from(data.subarray(1, 17)) : null,
          foreignValue:
            rest.length > 0
              ? (this.foreignValueSerde.deserializer().deserialize(topic, rest, headers) ?? null)
              : null,
        };
      },
    };
  }
}
