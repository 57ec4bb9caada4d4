/** Why a record was dropped: the `reason` label of `kafka_stream_dropped_records_total`. */
export const DROP_REASONS = [
  'deserialization_error',
  'processing_error',
  'production_error',
  'serialization_error',
  'invalid_timestamp',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Counters a task reports to; the runtime binds them to prom-client. */
export interface TaskSensors {
  dropped(reason: DropReason): void;
}
