import { ChangelogRecord } from '../state-store';

/**
 * Reads changelog partitions for restoration. The runtime implements it over the Kafka client
 * seam; the test driver has none (stores start empty).
 */
export interface ChangelogRestorer {
  /** End offset (exclusive, the high watermark) of a changelog partition now. */
  endOffset(topic: string, partition: number): Promise<number>;
  /**
   * The application's committed offset of a source topic partition (stable: never below a
   * transactional commit in progress), 0 when none: where a source topic used as a changelog is
   * restored to (Kafka Streams' `StoreChangelogReader.committedOffsetForChangelogs`).
   */
  committedOffset(topic: string, partition: number): Promise<number>;
  /**
   * Reads `[fromOffset, end)` in batches; with `untilOffset`, records at or after it are left out
   * (not applied) though the read may go on to the end.
   */
  restore(
    topic: string,
    partition: number,
    fromOffset: number,
    onBatch: (batch: ChangelogRecord[]) => Promise<void>,
    untilOffset?: number,
  ): Promise<void>;
}
