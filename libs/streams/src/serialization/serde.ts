/** Record headers, as Kafka carries them (string or bytes values). */
export type Headers = Record<string, Buffer | string | undefined>;

/** Turns a value into bytes. `null` stays `null` (a tombstone or an absent key). */
export interface Serializer<T> {
  serialize(topic: string, data: T | null, headers?: Headers): Buffer | null;
}

/** Turns bytes into a value. `null` stays `null`. Throws a `SerializationError` on bad input. */
export interface Deserializer<T> {
  deserialize(topic: string, data: Buffer | null, headers?: Headers): T | null;
}

/** A serializer and deserializer pair for one type (Kafka's `Serde<T>`). */
export interface Serde<T> {
  serializer(): Serializer<T>;
  deserializer(): Deserializer<T>;
}
