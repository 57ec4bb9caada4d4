import { StreamsError } from '../../errors/streams-error';
import { Deserializer, Serde, Serializer } from '../../serialization/serde';

/**
 * A serde the DSL did not get from the user: it becomes the config's default serde when the first
 * processor using it starts (`bindDefault`), as Kafka Streams falls back to `default.key.serde`.
 */
export class DeferredSerde<T> implements Serde<T> {
  private resolved: Serde<T> | undefined;

  constructor(
    explicit: Serde<T> | undefined,
    private readonly what: string,
  ) {
    this.resolved = explicit;
  }

  /** Wraps `serde` unless it is already deferred (or returns it as is). */
  static of<T>(serde: Serde<T> | undefined, what: string): DeferredSerde<T> {
    return serde instanceof DeferredSerde ? serde : new DeferredSerde(serde, what);
  }

  /** The serde this one stands for, or `undefined` while unbound (a serde is bound once). */
  boundSerde(): Serde<T> | undefined {
    return this.resolved;
  }

  bindDefault(serde: Serde<unknown>): void {
    if (this.resolved === undefined) this.resolved = serde as Serde<T>;
  }

  private get serde(): Serde<T> {
    const s = this.resolved;
    if (s === undefined)
      throw new StreamsError(
        `${this.what}: no serde given and no default serde bound (set it in Materialized/Grouped)`,
      );
    return s;
  }

  /**
   * One serializer for every call: it resolves the serde at its first use (so it may be taken
   * before binding) and keeps the serde's serializer from then on (a serde is bound once).
   */
  private boundSer: Serializer<T> | undefined;
  private boundDe: Deserializer<T> | undefined;
  private readonly ser: Serializer<T> = {
    serialize: (topic, data, headers) =>
      (this.boundSer ??= this.serde.serializer()).serialize(topic, data, headers),
  };
  private readonly de: Deserializer<T> = {
    deserialize: (topic, data, headers) =>
      (this.boundDe ??= this.serde.deserializer()).deserialize(topic, data, headers),
  };

  serializer(): Serializer<T> {
    return this.ser;
  }

  deserializer(): Deserializer<T> {
    return this.de;
  }
}
