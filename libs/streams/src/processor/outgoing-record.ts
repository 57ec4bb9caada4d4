import type { Headers } from '../serialization/serde';

/**
 * A serialized record on its way to Kafka (what producer interceptors see). Its key and value bytes
 * are read-only: a sink may hand the same key bytes to consecutive records of one key (an interceptor
 * that changes bytes returns a record with new Buffers instead).
 */
export interface OutgoingRecord {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}
