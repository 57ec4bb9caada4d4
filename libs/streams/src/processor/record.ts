import { Headers } from '../serialization/serde';

/**
 * One record flowing through a topology (Kafka Streams' `api.Record`): key, value, timestamp
 * and headers. Immutable: the `with*` methods return a copy.
 */
export class Record<K, V> {
  constructor(
    readonly key: K,
    readonly value: V,
    readonly timestamp: number,
    readonly headers: Headers = {},
  ) {}

  withKey<NK>(key: NK): Record<NK, V> {
    return new Record(key, this.value, this.timestamp, this.headers);
  }
  withValue<NV>(value: NV): Record<K, NV> {
    return new Record(this.key, value, this.timestamp, this.headers);
  }
  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.key, this.value, timestamp, this.headers);
  }
  withHeaders(headers: Headers): Record<K, V> {
    return new Record(this.key, this.value, this.timestamp, headers);
  }
}
