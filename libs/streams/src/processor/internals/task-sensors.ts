/** Why a record was dropped: the `reason` label of `kafka_stream_dropped_records_total`. */
export const DROP_REASONS = [
  'deserialization_error',
  'processing_error',
  'production_error',
  'serialization_error',
  'invalid_timestamp',
  /** A windowed aggregation got a record for a window already closed (end + grace <= stream time). */
  'late',
  /** A DSL aggregation or table skipped a record with a null key (or null value where one is needed). */
  'null_key_or_value',
  /** A foreign-key join's response computed for an older value of its row (Kafka Streams drops it by the value hash). */
  'stale_fk_response',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** A warning about a dropped record: a message and fields that never include its key or value. */
export interface DropLog {
  readonly message: string;
  readonly fields: { readonly [name: string]: string | number | null };
}

/** Counters a task reports to; the runtime binds them to prom-client. */
export interface TaskSensors {
  dropped(reason: DropReason): void;
}
