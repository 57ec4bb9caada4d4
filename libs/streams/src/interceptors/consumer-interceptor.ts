import { TopicPartitionOffset } from '../client/kafka-client';
import { Headers } from '../serialization/serde';

/** A consumed record as interceptors see it (bytes: interceptors run before deserialization). */
export interface InterceptedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
}

/**
 * Kafka's `ConsumerInterceptor`: `onConsume` sees each fetched batch before processing and may
 * return a changed or filtered list; `onCommit` sees the offsets after each successful commit.
 * Exceptions are logged and ignored, as in Kafka.
 */
export interface ConsumerInterceptor {
  onConsume(records: InterceptedRecord[]): InterceptedRecord[];
  onCommit?(offsets: TopicPartitionOffset[]): void;
  close?(): void;
}
