import { Deserializer, Serde, Serializer } from '../../serialization/serde';
import { Serdes } from '../../serialization/serdes';

const LONG = Serdes.Long();

const LONG_SERIALIZER = LONG.serializer();
const LONG_DESERIALIZER = LONG.deserializer();

const serializer: Serializer<number> = {
  serialize: (topic, data, headers) => LONG_SERIALIZER.serialize(topic, data, headers),
};
const deserializer: Deserializer<number> = {
  deserialize: (topic, data, headers) => {
    const v = LONG_DESERIALIZER.deserialize(topic, data, headers);
    return v === null ? null : Number(v);
  },
};

/**
 * Kafka's 8-byte `LongSerde` read as a `number` (counts are safe integers). It says so with
 * `int64Number`, so a `ValueAndTimestamp` of it is written and read in one 16-byte buffer.
 */
export const LONG_AS_NUMBER: Serde<number> & { readonly int64Number: true } = {
  serializer: () => serializer,
  deserializer: () => deserializer,
  int64Number: true,
};
