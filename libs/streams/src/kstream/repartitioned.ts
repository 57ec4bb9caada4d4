import { StreamPartitioner } from '../processor/stream-partitioner';
import { Serde } from '../serialization/serde';

interface RepartitionedFields<K, V> {
  name?: string;
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  numberOfPartitions?: number;
  partitioner?: StreamPartitioner<K, V>;
}

/**
 * How `KStream.repartition()` writes its internal topic `<applicationId>-<name>-repartition`
 * (Kafka Streams' `Repartitioned`).
 */
export class Repartitioned<K, V> {
  private constructor(readonly fields: Readonly<RepartitionedFields<K, V>>) {}

  static as<K, V>(name: string): Repartitioned<K, V> {
    return new Repartitioned<K, V>({ name });
  }
  static with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>): Repartitioned<K, V> {
    return new Repartitioned({ keySerde, valueSerde });
  }
  static numberOfPartitions<K, V>(n: number): Repartitioned<K, V> {
    return new Repartitioned<K, V>({}).withNumberOfPartitions(n);
  }
  /** The same as {@link numberOfPartitions} (the fix for a co-partitioning error). */
  static withNumberOfPartitions<K, V>(n: number): Repartitioned<K, V> {
    return Repartitioned.numberOfPartitions<K, V>(n);
  }
  static streamPartitioner<K, V>(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned({ partitioner });
  }

  withName(name: string): Repartitioned<K, V> {
    return new Repartitioned({ ...this.fields, name });
  }
  withKeySerde(keySerde: Serde<K>): Repartitioned<K, V> {
    return new Repartitioned({ ...this.fields, keySerde });
  }
  withValueSerde(valueSerde: Serde<V>): Repartitioned<K, V> {
    return new Repartitioned({ ...this.fields, valueSerde });
  }
  withNumberOfPartitions(n: number): Repartitioned<K, V> {
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`Repartitioned: number of partitions must be a positive integer, got ${n}`);
    return new Repartitioned({ ...this.fields, numberOfPartitions: n });
  }
  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned({ ...this.fields, partitioner });
  }
}
