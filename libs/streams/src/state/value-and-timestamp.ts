import { SerializationError } from '../errors/serialization-error';
import type { Deserializer, Serde, Serializer } from '../serialization/serde';
import {
  boundSerdeOf,
  fixedWidthFormOf,
  utf8TextFormOf,
  type FixedWidthForm,
  type Utf8TextForm,
} from '../serialization/serdes';

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

  /**
   * How values are written: `int64` when the value serde is Kafka's 8-byte Long read as a `number`
   * (it says so with `int64Number`): timestamp and value in one 16-byte buffer, the value read in
   * place; a fixed-width form (the built-in `Integer`) or a UTF-8 text form (the built-in `String` and
   * `Json`): the value written straight after the timestamp and read from there, without a Buffer of
   * its own; otherwise through the value serde. The same bytes and values every way. `undefined`
   * while a deferred value serde is not bound yet.
   */
  private valueForm(): ValueForm<V> | undefined {
    const bound = boundSerdeOf(this.valueSerde);
    if (bound === undefined) return undefined;
    if ((bound as { int64Number?: boolean }).int64Number === true) return 'int64';
    const fixed = fixedWidthFormOf(bound);
    if (fixed !== undefined) return { fixed };
    const text = utf8TextFormOf(bound);
    return text === undefined ? 'serde' : { text };
  }

  serializer(): Serializer<ValueAndTimestamp<V>> {
    const inner = this.valueSerde.serializer();
    let form: ValueForm<V> | undefined;
    return {
      serialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        form ??= this.valueForm();
        const v = data.value as unknown;
        if (form === 'int64') {
          if (Number.isSafeInteger(v) && Number.isSafeInteger(data.timestamp)) {
            const out = Buffer.allocUnsafe(16);
            writeTimestamp(out, data.timestamp);
            writeInt64(out, 8, v as number);
            return out;
          }
        } else if (form !== undefined && form !== 'serde' && v !== null && v !== undefined) {
          if ('fixed' in form) {
            const out = Buffer.allocUnsafe(8 + form.fixed.width);
            form.fixed.write(topic, data.value, out, 8);
            writeTimestamp(out, data.timestamp);
            return out;
          }
          const text = form.text.toText(topic, data.value);
          // (a String serde given a non-string, which Buffer.from may take, goes through the serde)
          if (typeof text === 'string') {
            const out = Buffer.allocUnsafe(8 + Buffer.byteLength(text, 'utf8'));
            writeTimestamp(out, data.timestamp);
            out.write(text, 8, 'utf8');
            return out;
          }
        }
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
    let form: ValueForm<V> | undefined;
    return {
      deserialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        if (data.length < 8)
          throw new SerializationError(`ValueAndTimestamp in "${topic}": ${data.length} bytes is too short`);
        form ??= this.valueForm();
        if (form === 'int64') {
          if (data.length === 16) {
            const high = data.readInt32BE(8);
            // |high| < 2^21: a safe integer, read as the Long serde reads it; otherwise through it
            if (high < 0x200000 && high > -0x200000)
              return { value: (high * TWO_32 + data.readUInt32BE(12)) as V, timestamp: readTimestamp(data) };
          }
        } else if (form !== undefined && form !== 'serde') {
          if (!('fixed' in form)) {
            const value = form.text.fromText(topic, data.toString('utf8', 8), data.length - 8);
            return value === null ? null : { value, timestamp: readTimestamp(data) };
          }
          // (another length goes through the serde, which refuses it)
          if (data.length === 8 + form.fixed.width)
            return { value: form.fixed.read(data, 8), timestamp: readTimestamp(data) };
        }
        const value = inner.deserialize(topic, data.subarray(8), headers);
        return value === null ? null : { value, timestamp: readTimestamp(data) };
      },
    };
  }
}

/** How a {@link ValueAndTimestampSerde} writes and reads values (see its `valueForm`). */
type ValueForm<V> =
  'int64' | 'serde' | { readonly fixed: FixedWidthForm<V> } | { readonly text: Utf8TextForm<V> };

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

/** Writes a safe integer as int64 big-endian at `offset` (Kafka's Long serde's bytes). */
function writeInt64(out: Buffer, offset: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  out.writeInt32BE(high, offset);
  out.writeUInt32BE(value - high * TWO_32, offset + 4);
}

/** Reads the int64 big-endian timestamp at 0 (exact for safe integers, as every millisecond timestamp is). */
function readTimestamp(data: Buffer): number {
  const high = data.readInt32BE(0);
  if (high > 0x1fffff || high < -0x200000) return Number(data.readBigInt64BE(0));
  return high * TWO_32 + data.readUInt32BE(4);
}
