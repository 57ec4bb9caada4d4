/**
 * The serde shapes records are read and written with. Structurally identical to
 * `@gmart/streams`' `Serializer`, `Deserializer` and `Serde` (Kafka's `Serde<T>`, with
 * `serializer()` and `deserializer()` accessors), so a G-Mart serde plugs into
 * `Consumed.with(...)` and `Produced.with(...)` directly.
 */

/** Record headers, as Kafka carries them. */
export type Headers = Record<string, Buffer | string | undefined>;

/** Turns a value into bytes; `null` (a tombstone) stays `null`. */
export interface Serializer<T> {
  serialize(topic: string, data: T | null, headers?: Headers): Buffer | null;
}

/** Reads bytes back into a value; `null` (a tombstone) stays `null`. */
export interface Deserializer<T> {
  deserialize(topic: string, data: Buffer | null, headers?: Headers): T | null;
}

/** A serializer and deserializer pair for one type. */
export interface Serde<T> {
  serializer(): Serializer<T>;
  deserializer(): Deserializer<T>;
}
