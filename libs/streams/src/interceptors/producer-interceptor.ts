import { OutgoingRecord } from '../processor/internals/record-collector';

/** What the producer reports per record once the broker answered. */
export interface ProducerRecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** Offset the broker gave the record; -1 when it failed or the broker returned none (acks=0). */
  readonly offset: number;
  readonly timestamp: number;
  readonly serializedKeySize: number;
  readonly serializedValueSize: number;
  /** Wall-clock time the record was handed to the producer (an extension over Kafka's metadata). */
  readonly sendTimeMs: number;
}

/**
 * Kafka's `ProducerInterceptor`: `onSend` sees (and may replace) every record before it is sent;
 * `onAcknowledgement` is called once per record with the result or the error.
 * Exceptions are logged and ignored, as in Kafka.
 */
export interface ProducerInterceptor {
  onSend(record: OutgoingRecord): OutgoingRecord;
  onAcknowledgement?(metadata: ProducerRecordMetadata, error: Error | null): void;
  /**
   * Extension over Kafka's interface, for an interceptor that needs neither the partition nor the
   * offset of acknowledged records (e.g. one counting them): when defined, the records of a request
   * the broker acknowledged are handed over in one call (in the order they were sent, `sendTimeMs`
   * as in their metadata) instead of one `onAcknowledgement` call each, so no metadata is made per
   * record. `onAcknowledgement` is still called for every record that failed.
   */
  onAcknowledgedRequest?(records: readonly OutgoingRecord[], sendTimeMs: number): void;
  close?(): void;
}
