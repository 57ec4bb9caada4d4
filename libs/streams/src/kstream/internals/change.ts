import { SerializationError } from '../../errors/serialization-error';
import { Deserializer, Serde, Serializer } from '../../serialization/serde';
import { boundSerdeOf, fixedWidthFormOf, type FixedWidthForm } from '../../serialization/serdes';

/**
 * An update of a table row as it flows between KTable operators (Kafka Streams' `Change`): the new
 * value and, when the downstream asked for old values, the previous one. `null` means absent/deleted.
 */
export class Change<V> {
  constructor(
    readonly newValue: V | null,
    readonly oldValue: V | null,
  ) {}
}

const HAS_NEW = 1;
const HAS_OLD = 2;

/**
 * Serde of a {@link Change} on a `KTable.groupBy` repartition topic: one flag byte (bit 0 new value
 * present, bit 1 old value present), the new value's length (int32) and bytes, then the old value's bytes.
 */
export class ChangeSerde<V> implements Serde<Change<V>> {
  constructor(private readonly inner: Serde<V>) {}

  /**
   * The inner serde's fixed-width form (the built-in `Integer`), with which values are written and
   * read in place (no Buffer per value; the same bytes and values); `null` if it has none,
   * `undefined` while a deferred inner serde is not bound yet.
   */
  private fixedForm(): FixedWidthForm<V> | null | undefined {
    const bound = boundSerdeOf(this.inner);
    return bound === undefined ? undefined : (fixedWidthFormOf(bound) ?? null);
  }

  serializer(): Serializer<Change<V>> {
    let fixed: FixedWidthForm<V> | null | undefined;
    return {
      serialize: (topic, change, headers) => {
        if (change === null || change === undefined) return null;
        fixed ??= this.fixedForm();
        if (fixed) {
          const w = fixed.width;
          const nv = change.newValue;
          const ov = change.oldValue;
          const hasNew = nv !== null && nv !== undefined;
          const hasOld = ov !== null && ov !== undefined;
          const out = Buffer.allocUnsafe(5 + (hasNew ? w : 0) + (hasOld ? w : 0));
          if (hasNew) fixed.write(topic, nv, out, 5);
          if (hasOld) fixed.write(topic, ov, out, hasNew ? 5 + w : 5);
          out.writeUInt8((hasNew ? HAS_NEW : 0) | (hasOld ? HAS_OLD : 0), 0);
          out.writeInt32BE(hasNew ? w : 0, 1);
          return out;
        }
        const ser = this.inner.serializer();
        const n = change.newValue === null ? null : ser.serialize(topic, change.newValue, headers);
        const o = change.oldValue === null ? null : ser.serialize(topic, change.oldValue, headers);
        const out = Buffer.allocUnsafe(5 + (n?.length ?? 0) + (o?.length ?? 0));
        out.writeUInt8((n ? HAS_NEW : 0) | (o ? HAS_OLD : 0), 0);
        out.writeInt32BE(n?.length ?? 0, 1);
        if (n) n.copy(out, 5);
        if (o) o.copy(out, 5 + (n?.length ?? 0));
        return out;
      },
    };
  }

  deserializer(): Deserializer<Change<V>> {
    let fixed: FixedWidthForm<V> | null | undefined;
    return {
      deserialize: (topic, data, headers) => {
        if (data === null || data === undefined) return null;
        if (data.length < 5)
          throw new SerializationError(`Change on topic "${topic}": ${data.length} bytes is too short`);
        const flags = data.readUInt8(0);
        const newLength = data.readInt32BE(1);
        if (newLength < 0 || 5 + newLength > data.length)
          throw new SerializationError(`Change on topic "${topic}": bad new-value length ${newLength}`);
        fixed ??= this.fixedForm();
        const w = fixed ? fixed.width : -1;
        const de = this.inner.deserializer();
        // A value of the fixed width is read in place; any other length goes through the serde (which refuses it).
        const n =
          flags & HAS_NEW
            ? newLength === w
              ? fixed!.read(data, 5)
              : de.deserialize(topic, data.subarray(5, 5 + newLength), headers)
            : null;
        const o =
          flags & HAS_OLD
            ? data.length - 5 - newLength === w
              ? fixed!.read(data, 5 + newLength)
              : de.deserialize(topic, data.subarray(5 + newLength), headers)
            : null;
        return new Change<V>(n, o);
      },
    };
  }
}
