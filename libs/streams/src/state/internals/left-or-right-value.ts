import { SerializationError } from '../../errors/serialization-error';
import type { Deserializer, Serde, Serializer } from '../../serialization/serde';

/**
 * A value of one side of a stream-stream join waiting in the outer-join store (Kafka Streams'
 * `LeftOrRightValue`): exactly one of `left` / `right` is set.
 */
export type LeftOrRightValue<V1, V2> =
  | { readonly left: V1; readonly right?: undefined }
  | {
      readonly left?: undefined;
      readonly right: V2;
    };

/**
 * Serde of the list of {@link LeftOrRightValue}s kept per outer-join store key (Kafka Streams keeps
 * a list too: several records of one key and side may share a timestamp). Layout: per entry one
 * side byte (`1` = left), a 4-byte length and the value bytes.
 */
export class LeftOrRightValueListSerde<V1, V2> implements Serde<LeftOrRightValue<V1, V2>[]> {
  constructor(
    private readonly leftSerde: Serde<V1>,
    private readonly rightSerde: Serde<V2>,
  ) {}

  serializer(): Serializer<LeftOrRightValue<V1, V2>[]> {
    const l = this.leftSerde.serializer();
    const r = this.rightSerde.serializer();
    return {
      serialize: (topic, list) => {
        if (list === null || list === undefined) return null;
        const parts: Buffer[] = [];
        for (const v of list) {
          const left = v.right === undefined;
          const bytes = left ? l.serialize(topic, v.left as V1) : r.serialize(topic, v.right);
          if (bytes === null) throw new SerializationError('outer join store: a value serialized to null');
          const head = Buffer.allocUnsafe(5);
          head.writeUInt8(left ? 1 : 0, 0);
          head.writeInt32BE(bytes.length, 1);
          parts.push(head, bytes);
        }
        return Buffer.concat(parts);
      },
    };
  }

  deserializer(): Deserializer<LeftOrRightValue<V1, V2>[]> {
    const l = this.leftSerde.deserializer();
    const r = this.rightSerde.deserializer();
    return {
      deserialize: (topic, data) => {
        if (data === null || data === undefined) return null;
        const out: LeftOrRightValue<V1, V2>[] = [];
        let at = 0;
        while (at < data.length) {
          if (at + 5 > data.length) throw new SerializationError('outer join store value is truncated');
          const left = data.readUInt8(at) === 1;
          const len = data.readInt32BE(at + 1);
          if (len < 0 || at + 5 + len > data.length)
            throw new SerializationError('outer join store value is truncated');
          const bytes = data.subarray(at + 5, at + 5 + len);
          out.push(
            left ? { left: l.deserialize(topic, bytes) as V1 } : { right: r.deserialize(topic, bytes) as V2 },
          );
          at += 5 + len;
        }
        return out;
      },
    };
  }
}
