import { SerializationError } from '../errors/serialization-error';
import type { Deserializer, Serde, Serializer } from '../serialization/serde';

/** A value with the timestamp of the record that last wrote it (Kafka Streams' `ValueAndTimestamp`). */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/** Creates a {@link ValueAndTimestamp}; a `null` value gives `null` (Kafka Streams' `ValueAndTimestamp.make`). */
export function valueAndTimestamp<V>(value: V | null, timestamp: number): ValueAndTimestamp<V> | null {
  return value === null || value === undefined ? null : { value, timestamp };
}

/**
 * Serde of a {@link ValueAndTimestamp}: the timestamp as 8 bytes big-endian, then the value's bytes
 * (Kafka Streams' timestamped key-value store value format).
 */
export class ValueAndTimestampSerde<V> implements Serde<ValueAndTimestamp<V>> {
  constructor(readonly valueSerde: Serde<V>) {}

  serializer(): Serializer<ValueAndTimestamp<V>> {
    return {
      serialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        const raw = this.valueSerde.serializer().serialize(topic, data.value, headers);
        if (raw === null) return null;
        const out = Buffer.allocUnsafe(8 + raw.length);
        out.writeBigInt64BE(BigInt(data.timestamp), 0);
        raw.copy(out, 8);
        return out;
      },
    };
  }

  deserializer(): Deserializer<ValueAndTimestamp<V>> {
    return {
      deserialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        if (data.length < 8)
          throw new SerializationError(`ValueAndTimestamp in "${topic}": ${data.length} bytes is too short`);
        const value = this.valueSerde.deserializer().deserialize(topic, data.subarray(8), headers);
        return value === null ? null : { value, timestamp: Number(data.readBigInt64BE(0)) };
      },
    };
  }
}
