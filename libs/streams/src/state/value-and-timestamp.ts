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
    const inner = this.valueSerde.serializer();
    return {
      serialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        const raw = inner.serialize(topic, data.value, headers);
        if (raw === null) return null;
        const out = Buffer.allocUnsafe(8 + raw.length);
        writeTimestamp(out, data.timestamp);
        raw.copy(out, 8);
        return out;
      },
    };
  }

  deserializer(): Deserializer<ValueAndTimestamp<V>> {
    const inner = this.valueSerde.deserializer();
    return {
      deserialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        if (data.length < 8)
          throw new SerializationError(`ValueAndTimestamp in "${topic}": ${data.length} bytes is too short`);
        const value = inner.deserialize(topic, data.subarray(8), headers);
        return value === null ? null : { value, timestamp: readTimestamp(data) };
      },
    };
  }
}

const TWO_32 = 4294967296;

/** Writes a millisecond timestamp (a safe integer) as int64 big-endian at 0, without a BigInt. */
function writeTimestamp(out: Buffer, timestamp: number): void {
  if (!Number.isSafeInteger(timestamp)) {
    out.writeBigInt64BE(BigInt(timestamp), 0); // throws the usual RangeError/TypeError for bad input
    return;
  }
  const high = Math.floor(timestamp / TWO_32);
  out.writeInt32BE(high, 0);
  out.writeUInt32BE(timestamp - high * TWO_32, 4);
}

/** Reads the int64 big-endian timestamp at 0 (exact for safe integers, as every millisecond timestamp is). */
function readTimestamp(data: Buffer): number {
  const high = data.readInt32BE(0);
  if (high > 0x1fffff || high < -0x200000) return Number(data.readBigInt64BE(0));
  return high * TWO_32 + data.readUInt32BE(4);
}
