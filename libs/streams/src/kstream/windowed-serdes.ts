import { SerializationError } from '../errors/serialization-error';
import { Deserializer, Serde, Serializer } from '../serialization/serde';
import { Window, Windowed } from '../state/window';

const MAX = Number.MAX_SAFE_INTEGER;

function readLong(buffer: Buffer, offset: number, topic: string): number {
  const v = buffer.readBigInt64BE(offset);
  if (v > BigInt(MAX) || v < -BigInt(MAX))
    throw new SerializationError(`Windowed key on topic "${topic}": timestamp ${v} is beyond a safe integer`);
  return Number(v);
}

/**
 * Kafka Streams' `TimeWindowedSerde`: the key's bytes, then the window start as 8 bytes big-endian.
 * The end is not on the wire: the deserializer adds `windowSizeMs` (Kafka Streams' `window.size.ms`).
 */
class TimeWindowedSerde<K> implements Serde<Windowed<K>> {
  constructor(
    private readonly inner: Serde<K>,
    private readonly windowSizeMs: number,
  ) {}

  serializer(): Serializer<Windowed<K>> {
    const ser = this.inner.serializer();
    return {
      serialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        const key = ser.serialize(topic, data.key(), headers) ?? Buffer.alloc(0);
        const out = Buffer.allocUnsafe(key.length + 8);
        key.copy(out, 0);
        out.writeBigInt64BE(BigInt(data.window().start()), key.length);
        return out;
      },
    };
  }

  deserializer(): Deserializer<Windowed<K>> {
    const de = this.inner.deserializer();
    return {
      deserialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        if (data.length < 8)
          throw new SerializationError(
            `Time-windowed key on topic "${topic}": ${data.length} bytes is too short`,
          );
        const start = readLong(data, data.length - 8, topic);
        const key = de.deserialize(topic, data.subarray(0, data.length - 8), headers) as K;
        return new Windowed(key, new Window(start, Math.min(MAX, start + this.windowSizeMs)));
      },
    };
  }
}

/** Kafka Streams' `SessionWindowedSerde`: the key's bytes, then the session end and start, 8 bytes each. */
class SessionWindowedSerde<K> implements Serde<Windowed<K>> {
  constructor(private readonly inner: Serde<K>) {}

  serializer(): Serializer<Windowed<K>> {
    const ser = this.inner.serializer();
    return {
      serialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        const key = ser.serialize(topic, data.key(), headers) ?? Buffer.alloc(0);
        const out = Buffer.allocUnsafe(key.length + 16);
        key.copy(out, 0);
        out.writeBigInt64BE(BigInt(data.window().end()), key.length);
        out.writeBigInt64BE(BigInt(data.window().start()), key.length + 8);
        return out;
      },
    };
  }

  deserializer(): Deserializer<Windowed<K>> {
    const de = this.inner.deserializer();
    return {
      deserialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        if (data.length < 16)
          throw new SerializationError(
            `Session-windowed key on topic "${topic}": ${data.length} bytes is too short`,
          );
        const end = readLong(data, data.length - 16, topic);
        const start = readLong(data, data.length - 8, topic);
        const key = de.deserialize(topic, data.subarray(0, data.length - 16), headers) as K;
        return new Windowed(key, new Window(start, end));
      },
    };
  }
}

/** Serdes of windowed keys, byte-compatible with Kafka Streams' (Kafka Streams' `WindowedSerdes`). */
export const WindowedSerdes = {
  /** `[key][start: int64 BE]`; the deserializer sets `end = start + windowSizeMs`. */
  timeWindowedSerdeFrom<K>(keySerde: Serde<K>, windowSizeMs: number): Serde<Windowed<K>> {
    if (!Number.isSafeInteger(windowSizeMs) || windowSizeMs <= 0)
      throw new Error(
        `WindowedSerdes.timeWindowedSerdeFrom: windowSizeMs must be a positive integer, got ${windowSizeMs}`,
      );
    return new TimeWindowedSerde(keySerde, windowSizeMs);
  },
  /** `[key][end: int64 BE][start: int64 BE]`. */
  sessionWindowedSerdeFrom<K>(keySerde: Serde<K>): Serde<Windowed<K>> {
    return new SessionWindowedSerde(keySerde);
  },
};
