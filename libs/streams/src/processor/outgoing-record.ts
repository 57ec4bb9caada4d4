import type { Headers } from '../serialization/serde';

/** A serialized record on its way to Kafka (what producer interceptors see). */
export interface OutgoingRecord {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}
