import { Serde } from '../serialization/serde';

/** @internal The settings a {@link Grouped} holds. */
export interface GroupedFields<K, V> {
  readonly name?: string;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
}

/**
 * How a grouping repartitions (Kafka Streams' `Grouped`): the serdes of the repartition topic and
 * its name, `<applicationId>-<name>-repartition` (the name also names the key-selecting processor).
 */
export class Grouped<K, V> {
  private constructor(readonly fields: GroupedFields<K, V>) {}

  static as<K, V>(name: string): Grouped<K, V> {
    if (!name || !/^[a-zA-Z0-9._-]+$/.test(name))
      throw new Error(`Grouped.as: "${name}" is not a legal name (letters, digits, ".", "_", "-")`);
    return new Grouped<K, V>({ name });
  }
  static with<K, V>(keySerde?: Serde<K>, valueSerde?: Serde<V>): Grouped<K, V> {
    return new Grouped<K, V>({ keySerde, valueSerde });
  }
  static keySerde<K, V>(keySerde: Serde<K>): Grouped<K, V> {
    return new Grouped<K, V>({ keySerde });
  }
  static valueSerde<K, V>(valueSerde: Serde<V>): Grouped<K, V> {
    return new Grouped<K, V>({ valueSerde });
  }

  withName(name: string): Grouped<K, V> {
    return new Grouped({
      ...Grouped.as<K, V>(name).fields,
      keySerde: this.fields.keySerde,
      valueSerde: this.fields.valueSerde,
    });
  }
  withKeySerde(keySerde: Serde<K>): Grouped<K, V> {
    return new Grouped({ ...this.fields, keySerde });
  }
  withValueSerde(valueSerde: Serde<V>): Grouped<K, V> {
    return new Grouped({ ...this.fields, valueSerde });
  }
}
