import { Serde } from '../serialization/serde';

interface JoinedFields<K, V, VO> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  otherValueSerde?: Serde<VO>;
  name?: string;
}

/**
 * Serdes and name of a stream-table join (Kafka Streams' `Joined`): the key and stream value serdes
 * are used by the repartition topic a join after a key change needs (`<name>-repartition`).
 */
export class Joined<K, V, VO> {
  private constructor(readonly fields: Readonly<JoinedFields<K, V, VO>>) {}

  static with<K, V, VO>(
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    otherValueSerde?: Serde<VO>,
  ): Joined<K, V, VO> {
    return new Joined<K, V, VO>({ keySerde, valueSerde, otherValueSerde });
  }
  static as<K, V, VO>(name: string): Joined<K, V, VO> {
    return new Joined<K, V, VO>({ name: checkName(name) });
  }
  withName(name: string): Joined<K, V, VO> {
    return new Joined({ ...this.fields, name: checkName(name) });
  }
  withKeySerde(keySerde: Serde<K>): Joined<K, V, VO> {
    return new Joined({ ...this.fields, keySerde });
  }
  withValueSerde(valueSerde: Serde<V>): Joined<K, V, VO> {
    return new Joined({ ...this.fields, valueSerde });
  }
  withOtherValueSerde(otherValueSerde: Serde<VO>): Joined<K, V, VO> {
    return new Joined({ ...this.fields, otherValueSerde });
  }
}

function checkName(name: string): string {
  if (!name || !/^[a-zA-Z0-9._-]+$/.test(name))
    throw new Error(`Joined: "${name}" is not a legal name (use letters, digits, ".", "_", "-")`);
  return name;
}
