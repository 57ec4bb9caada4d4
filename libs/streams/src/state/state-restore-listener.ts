/** A changelog partition. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * Told about the restoration of each store (Kafka Streams' `StateRestoreListener`).
 * Offsets: `startingOffset` is the first offset read, `endingOffset` the changelog's end
 * (exclusive) when restoration began.
 */
export interface StateRestoreListener {
  onRestoreStart?(
    partition: TopicPartition,
    storeName: string,
    startingOffset: number,
    endingOffset: number,
  ): void;
  /** After each batch: `batchEndOffset` is the offset of its last record. */
  onBatchRestored?(
    partition: TopicPartition,
    storeName: string,
    batchEndOffset: number,
    numRestored: number,
  ): void;
  onRestoreEnd?(partition: TopicPartition, storeName: string, totalRestored: number): void;
}
