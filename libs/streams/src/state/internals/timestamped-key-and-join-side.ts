import { SerializationError } from '../../errors/serialization-error';
import type { Deserializer, Serde, Serializer } from '../../serialization/serde';

/**
 * The key of the outer-join store of a stream-stream left/outer join (Kafka Streams'
 * `TimestampedKeyAndJoinSide`): the record's timestamp, which side it came from and its key.
 */
export interface TimestampedKeyAndJoinSide<K> {
  readonly key: K;
  readonly timestamp: number;
  readonly leftSide: boolean;
}

/**
 * Serde laid out as Kafka Streams does (8-byte big-endian timestamp, one side byte `1` = left,
 * `0` = right, then the key), so the store iterates by timestamp, then right before left, then key.
 */
export class TimestampedKeyAndJoinSideSerde<K> implements Serde<TimestampedKeyAndJoinSide<K>> {
  constructor(private readonly keySerde: Serde<K>) {}

  serializer(): Serializer<TimestampedKeyAndJoinSide<K>> {
    const inner = this.keySerde.serializer();
    return {
      serialize: (topic, data) => {
        if (data === null || data === undefined) return null;
        const key = inner.serialize(topic, data.key);
        if (key === null) throw new SerializationError('outer join store: the join key serialized to null');
        const out = Buffer.allocUnsafe(9 + key.length);
        out.writeBigInt64BE(BigInt(data.timestamp), 0);
        out.writeUInt8(data.leftSide ? 1 : 0, 8);
        key.copy(out, 9);
        return out;
      },
    };
  }

  deserializer(): Deserializer<TimestampedKeyAndJoinSide<K>> {
    const inner = this.keySerde.deserializer();
    return {
      deserialize: (topic, data) => {
        if (data === null || data === undefined) return null;
        if (data.length < 9)
          throw new SerializationError(`outer join store key of ${data.length} bytes is too short`);
        return {
          timestamp: Number(data.readBigInt64BE(0)),
          leftSide: data.readUInt8(8) === 1,
          key: inner.deserialize(topic, data.subarray(9)) as K,
        };
      },
    };
  }
}
