import { StreamPartitioner } from '../processor/stream-partitioner';
import { Serde } from '../serialization/serde';

interface ProducedFields<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  partitioner?: StreamPartitioner<K, V>;
  name?: string;
}

/** How records are written to a topic: serdes, partitioner, node name (Kafka Streams' `Produced`). */
export class Produced<K, V> {
  private constructor(readonly fields: Readonly<ProducedFields<K, V>>) {}

  static with<K, V>(
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    partitioner?: StreamPartitioner<K, V>,
  ): Produced<K, V> {
    return new Produced({ keySerde, valueSerde, partitioner });
  }
  static keySerde<K, V>(keySerde: Serde<K>): Produced<K, V> {
    return new Produced<K, V>({ keySerde });
  }
  static valueSerde<K, V>(valueSerde: Serde<V>): Produced<K, V> {
    return new Produced<K, V>({ valueSerde });
  }
  static streamPartitioner<K, V>(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced({ partitioner });
  }
  static as<K, V>(processorName: string): Produced<K, V> {
    return new Produced<K, V>({ name: processorName });
  }

  withKeySerde(keySerde: Serde<K>): Produced<K, V> {
    return new Produced({ ...this.fields, keySerde });
  }
  withValueSerde(valueSerde: Serde<V>): Produced<K, V> {
    return new Produced({ ...this.fields, valueSerde });
  }
  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced({ ...this.fields, partitioner });
  }
  withName(processorName: string): Produced<K, V> {
    return new Produced({ ...this.fields, name: processorName });
  }
}
