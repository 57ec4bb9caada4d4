import type { OffsetResetPolicy } from '../processor/offset-reset-policy';
import { TimestampExtractor } from '../processor/timestamp-extractor';
import { Serde } from '../serialization/serde';

interface ConsumedFields<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  timestampExtractor?: TimestampExtractor;
  offsetReset?: OffsetResetPolicy;
  name?: string;
}

/** How a source topic is read: serdes, timestamp extractor, offset reset, node name (Kafka Streams' `Consumed`). */
export class Consumed<K, V> {
  private constructor(readonly fields: Readonly<ConsumedFields<K, V>>) {}

  static with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>): Consumed<K, V> {
    return new Consumed({ keySerde, valueSerde });
  }
  static withTimestampExtractor<K, V>(extractor: TimestampExtractor): Consumed<K, V> {
    return new Consumed<K, V>({ timestampExtractor: extractor });
  }
  static withOffsetResetPolicy<K, V>(policy: OffsetResetPolicy): Consumed<K, V> {
    return new Consumed<K, V>({ offsetReset: policy });
  }
  static as<K, V>(processorName: string): Consumed<K, V> {
    return new Consumed<K, V>({ name: processorName });
  }

  withKeySerde(keySerde: Serde<K>): Consumed<K, V> {
    return new Consumed({ ...this.fields, keySerde });
  }
  withValueSerde(valueSerde: Serde<V>): Consumed<K, V> {
    return new Consumed({ ...this.fields, valueSerde });
  }
  withTimestampExtractor(extractor: TimestampExtractor): Consumed<K, V> {
    return new Consumed({ ...this.fields, timestampExtractor: extractor });
  }
  withOffsetResetPolicy(policy: OffsetResetPolicy): Consumed<K, V> {
    if (policy !== 'earliest' && policy !== 'latest')
      throw new Error(`Consumed: offset reset policy must be "earliest" or "latest", got "${policy}"`);
    return new Consumed({ ...this.fields, offsetReset: policy });
  }
  withName(processorName: string): Consumed<K, V> {
    return new Consumed({ ...this.fields, name: processorName });
  }
}
