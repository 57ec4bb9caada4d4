import { Serde } from '../../serialization/serde';
import { Serdes } from '../../serialization/serdes';

const LONG = Serdes.Long();

/** Kafka's 8-byte `LongSerde` read as a `number` (counts are safe integers). */
export const LONG_AS_NUMBER: Serde<number> = {
  serializer: () => ({
    serialize: (topic, data, headers) => LONG.serializer().serialize(topic, data, headers),
  }),
  deserializer: () => ({
    deserialize: (topic, data, headers) => {
      const v = LONG.deserializer().deserialize(topic, data, headers);
      return v === null ? null : Number(v);
    },
  }),
};
