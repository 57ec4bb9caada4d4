import { ChangelogRecord } from '../state-store';

/**
 * Reads changelog partitions for restoration. The runtime implements it over the Kafka client
 * seam; the test driver has none (stores start empty).
 */
export interface ChangelogRestorer {
  /** End offset (exclusive, the high watermark) of a changelog partition now. */
  endOffset(topic: string, partition: number): Promise<number>;
  /** Reads `[fromOffset, end)` in batches. */
  restore(
    topic: string,
    partition: number,
    fromOffset: number,
    onBatch: (batch: ChangelogRecord[]) => Promise<void>,
  ): Promise<void>;
}
