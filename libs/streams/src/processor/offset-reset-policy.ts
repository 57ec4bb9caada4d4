/** Where a source starts when its group has no committed offset (Kafka Streams' `AutoOffsetReset`). */
export type OffsetResetPolicy = 'earliest' | 'latest';
