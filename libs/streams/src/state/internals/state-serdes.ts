import type { Deserializer, Serde, Serializer } from '../../serialization/serde';

/**
 * Kafka Streams' `StateSerdes`: a store's key and value serdes bound to its changelog topic
 * (the topic argument serdes receive), with clear errors for keys that serialize to nothing.
 */
export class StateSerdes<K, V> {
  private readonly keySerializer: Serializer<K>;
  private readonly keyDeserializer: Deserializer<K>;
  private readonly valueSerializer: Serializer<V>;
  private readonly valueDeserializer: Deserializer<V>;

  constructor(
    readonly topic: string,
    private readonly storeName: string,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ) {
    this.keySerializer = keySerde.serializer();
    this.keyDeserializer = keySerde.deserializer();
    this.valueSerializer = valueSerde.serializer();
    this.valueDeserializer = valueSerde.deserializer();
  }

  /** Checks that `serde` looks like a serde, naming the store and the role in the error. */
  static validate(serde: unknown, role: string, storeName: string): void {
    const s = serde as Partial<Serde<unknown>> | null | undefined;
    if (!s || typeof s.serializer !== 'function' || typeof s.deserializer !== 'function') {
      throw new TypeError(
        `store ${storeName}: ${role} must be a Serde (with serializer() and deserializer())`,
      );
    }
  }

  rawKey(key: K): Buffer {
    if (key === null || key === undefined)
      throw new TypeError(`store ${this.storeName}: key must not be null or undefined`);
    const bytes = this.keySerializer.serialize(this.topic, key);
    if (bytes === null) throw new TypeError(`store ${this.storeName}: the key serialized to null`);
    return bytes;
  }

  rawValue(value: V | null): Buffer | null {
    return value === null || value === undefined ? null : this.valueSerializer.serialize(this.topic, value);
  }

  keyFrom(bytes: Buffer): K {
    return this.keyDeserializer.deserialize(this.topic, bytes) as K;
  }

  valueFrom(bytes: Buffer): V {
    return this.valueDeserializer.deserialize(this.topic, bytes) as V;
  }
}
