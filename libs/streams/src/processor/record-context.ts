import { Headers } from '../serialization/serde';

/** Metadata of the input record that led to the current output (Kafka Streams' `RecordContext`). */
export interface RecordContext {
  readonly topic: string | null;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly headers: Headers;
}
