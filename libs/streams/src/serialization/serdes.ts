import { SerializationError } from '../errors/serialization-error';
import { Deserializer, Serde, Serializer } from './serde';

class FnSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
  constructor(
    readonly serialize: (topic: string, data: T | null) => Buffer | null,
    readonly deserialize: (topic: string, data: Buffer | null) => T | null,
  ) {}
  serializer(): Serializer<T> {
    return this;
  }
  deserializer(): Deserializer<T> {
    return this;
  }
}

/**
 * The text form of a serde whose bytes are the UTF-8 encoding of a string (the built-in `String` and
 * `Json` serdes): `serialize(v)` is the UTF-8 bytes of `toText(v)`, and `deserialize(b)` is
 * `fromText(b as UTF-8 text, b.length)`, errors included. A layer that wraps the bytes (a timestamped
 * store's 8-byte prefix) can then encode the text straight into its own buffer and decode it from an
 * offset, without an intermediate Buffer per value; the bytes and values are the same.
 */
export interface Utf8TextForm<T> {
  /** The text whose UTF-8 bytes `serialize` returns for a non-null `data` (throws as `serialize`). */
  toText(topic: string, data: T): string;
  /** What `deserialize` returns for bytes holding `text` (`byteLength` of them; throws as `deserialize`). */
  fromText(topic: string, text: string, byteLength: number): T;
}

/** A serde with a {@link Utf8TextForm} (the built-in `String` and `Json` serdes). */
class Utf8TextSerde<T> extends FnSerde<T> {
  constructor(readonly utf8Text: Utf8TextForm<T>) {
    super(
      (topic, d) => (d === null || d === undefined ? null : Buffer.from(utf8Text.toText(topic, d), 'utf8')),
      (topic, d) =>
        d === null || d === undefined ? null : utf8Text.fromText(topic, d.toString('utf8'), d.length),
    );
  }
}

/**
 * The fixed-width form of a serde whose bytes always have `width` bytes (the built-in `Integer`):
 * `serialize(v)` is `width` bytes as `write` puts them, and `deserialize(b)` of `width` bytes is
 * `read(b, 0)` (other lengths go through `deserialize`, which refuses them). A layer that wraps the
 * bytes (a `Change` on a repartition topic, a timestamped store's value) writes and reads them in place.
 */
export interface FixedWidthForm<T> {
  readonly width: number;
  /** Writes a non-null `data` at `offset` of `out` (throws as `serialize`). */
  write(topic: string, data: T, out: Buffer, offset: number): void;
  /** The value of the `width` bytes at `offset` of `data`. */
  read(data: Buffer, offset: number): T;
}

/** A serde with a {@link FixedWidthForm} (the built-in `Integer`). */
class FixedWidthSerde<T> extends FnSerde<T> {
  constructor(
    name: string,
    readonly fixedWidth: FixedWidthForm<T>,
  ) {
    super(
      (topic, d) => {
        if (d === null || d === undefined) return null;
        const b = Buffer.allocUnsafe(fixedWidth.width);
        fixedWidth.write(topic, d, b, 0);
        return b;
      },
      (topic, d) => {
        if (d === null || d === undefined) return null;
        fixedSize(name, fixedWidth.width, topic, d);
        return fixedWidth.read(d, 0);
      },
    );
  }
}

/** The {@link FixedWidthForm} of a serde, if it has one (a serde from {@link Serdes.Integer}). */
export function fixedWidthFormOf<T>(serde: Serde<T>): FixedWidthForm<T> | undefined {
  return serde instanceof FixedWidthSerde ? (serde.fixedWidth as FixedWidthForm<T>) : undefined;
}

/** The serde a deferred serde (one with `boundSerde()`) is bound to, `undefined` while unbound; any other serde itself. */
export function boundSerdeOf<T>(serde: Serde<T>): Serde<T> | undefined {
  const s = serde as Serde<T> & { boundSerde?: () => Serde<T> | undefined };
  return typeof s.boundSerde === 'function' ? s.boundSerde() : s;
}

/**
 * True when `serde` is the built-in String serde (a serde from {@link Serdes.String}, a deferred
 * serde bound to it, or the serializer it gives): its bytes are the key's UTF-8 encoding whatever
 * the topic, so equal strings may share one encoding. `false` for a deferred serde not bound yet.
 */
export function isStringSerde(serde: Serde<unknown> | Serializer<unknown>): boolean {
  return boundSerdeOf(serde as Serde<unknown>) === STRING;
}

/** The {@link Utf8TextForm} of a serde, if it has one (a serde from {@link Serdes.String} or {@link Serdes.Json}). */
export function utf8TextFormOf<T>(serde: Serde<T>): Utf8TextForm<T> | undefined {
  return serde instanceof Utf8TextSerde ? (serde.utf8Text as Utf8TextForm<T>) : undefined;
}

function fixedSize(name: string, size: number, topic: string, data: Buffer): void {
  if (data.length !== size) {
    throw new SerializationError(
      `${name} deserializer on topic "${topic}" expects ${size} bytes, got ${data.length}`,
    );
  }
}

/** Validates a parsed JSON value; return the typed value or throw to reject it. */
export type JsonValidator<T> = (value: unknown) => T;

const STRING = new Utf8TextSerde<string>({
  toText: (_t, d) => d,
  fromText: (_t, text) => text,
});

const TWO_32 = 4294967296;

/**
 * Kafka's `LongSerde`. A safe integer is written and read as two 32-bit halves (no `BigInt` per
 * record: counts go through it on every windowed update); other values take the `BigInt` path.
 */
const LONG = new FnSerde<number | bigint>(
  (topic, d) => {
    if (d === null || d === undefined) return null;
    const b = Buffer.allocUnsafe(8);
    if (typeof d === 'bigint') b.writeBigInt64BE(d);
    else {
      if (!Number.isSafeInteger(d))
        throw new SerializationError(`Long serializer on topic "${topic}" got a non-integer number`);
      const high = Math.floor(d / TWO_32);
      b.writeInt32BE(high, 0);
      b.writeUInt32BE(d - high * TWO_32, 4);
    }
    return b;
  },
  (topic, d) => {
    if (d === null || d === undefined) return null;
    fixedSize('Long', 8, topic, d);
    const high = d.readInt32BE(0);
    // |high| < 2^21: the value is a safe integer (|v| < 2^53)
    if (high < 0x200000 && high > -0x200000) return high * TWO_32 + d.readUInt32BE(4);
    const v = d.readBigInt64BE(0);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  },
);

const INTEGER = new FixedWidthSerde<number>('Integer', {
  width: 4,
  write: (topic, d, out, offset) => {
    if (!Number.isInteger(d) || d > 2147483647 || d < -2147483648) {
      throw new SerializationError(`Integer serializer on topic "${topic}" got a value outside int32`);
    }
    out.writeInt32BE(d, offset);
  },
  read: (d, offset) => d.readInt32BE(offset),
});

const DOUBLE = new FnSerde<number>(
  (_t, d) => {
    if (d === null || d === undefined) return null;
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleBE(d);
    return b;
  },
  (topic, d) => {
    if (d === null || d === undefined) return null;
    fixedSize('Double', 8, topic, d);
    return d.readDoubleBE(0);
  },
);

const BUFFER = new FnSerde<Buffer>(
  (_t, d) => (d === undefined ? null : d),
  (_t, d) => (d === undefined ? null : d),
);

/**
 * Factory of the built-in serdes (Kafka's `Serdes`). Every serde maps `null` to `null`,
 * so tombstones and absent keys pass through as in Kafka Streams.
 */
export class Serdes {
  private constructor() {}

  /** UTF-8 strings. */
  static String(): Serde<string> {
    return STRING;
  }
  /**
   * Kafka's `LongSerde`: 8-byte big-endian two's complement, readable by Java consumers.
   * Deserializes to a `number` when it fits in a safe integer, otherwise to a `bigint`.
   */
  static Long(): Serde<number | bigint> {
    return LONG;
  }
  /** Kafka's `IntegerSerde`: 4-byte big-endian int32. */
  static Integer(): Serde<number> {
    return INTEGER;
  }
  /** Kafka's `DoubleSerde`: 8-byte big-endian IEEE 754. */
  static Double(): Serde<number> {
    return DOUBLE;
  }
  /** Raw bytes, unchanged (Kafka's `ByteArray`/`Bytes`). */
  static Buffer(): Serde<Buffer> {
    return BUFFER;
  }
  /**
   * JSON (UTF-8). With a `validate` function, every deserialized value is passed through it;
   * a throw becomes a `SerializationError`, i.e. a deserialization error for the handler.
   */
  static Json<T>(validate?: JsonValidator<T>): Serde<T> {
    return new Utf8TextSerde<T>({
      toText: (topic, d) => {
        const text = JSON.stringify(d);
        if (text === undefined)
          throw new SerializationError(`Json serializer on topic "${topic}" got a value JSON cannot encode`);
        return text;
      },
      fromText: (topic, text, byteLength) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (cause) {
          throw new SerializationError(
            `Json deserializer on topic "${topic}" got invalid JSON (${byteLength} bytes)`,
            { cause },
          );
        }
        if (!validate) return parsed as T;
        try {
          return validate(parsed);
        } catch (cause) {
          const why = cause instanceof Error ? cause.message : String(cause);
          throw new SerializationError(`Json deserializer on topic "${topic}" rejected a value: ${why}`, {
            cause,
          });
        }
      },
    });
  }
  /** Builds a serde from a serializer and a deserializer (Kafka's `Serdes.serdeFrom`). */
  static serdeFrom<T>(serializer: Serializer<T>, deserializer: Deserializer<T>): Serde<T> {
    return new FnSerde<T>(
      (t, d) => serializer.serialize(t, d),
      (t, d) => deserializer.deserialize(t, d),
    );
  }
}
