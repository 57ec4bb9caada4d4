import type { OutgoingRecord } from '../outgoing-record';

export type { OutgoingRecord } from '../outgoing-record';

/**
 * Called when an asynchronous send fails, so the task's production handler can decide; `tag` is
 * what was handed to {@link RecordCollector.send} with the record (so one callback serves many
 * records without a closure per record).
 */
export type SendFailureCallback = (record: OutgoingRecord, error: Error, tag: unknown) => void;

/**
 * Sends the records of a task (outputs, repartition and changelog writes). Sends are buffered
 * and batched; `flush()` resolves once every record sent so far is acknowledged and throws the
 * first unhandled failure. The runtime implementation sends through the Kafka client seam; the
 * test driver's captures records in memory.
 */
export interface RecordCollector {
  /**
   * Sends `record`, which the collector then owns: it may set the record's `partition` when it has
   * none (the caller must not reuse or share the object). `tag` is handed back to `onFailure`.
   */
  send(record: OutgoingRecord, onFailure: SendFailureCallback, tag?: unknown): void;
  /** Partition count of `topic` (for partitioners). */
  partitionsFor(topic: string): number;
  flush(): Promise<void>;
}
