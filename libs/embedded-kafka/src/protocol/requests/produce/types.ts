/** Produce request, all versions. */
export interface ProduceRequest {
  /** v3+ */
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: { name: string; partitions: { index: number; records: Buffer | null }[] }[];
}

export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  /** v2+ */
  logAppendTimeMs: number;
  /** v5+ */
  logStartOffset: number;
  /** v8+: why the batch was refused (null when none). */
  errorMessage: string | null;
}

/** Produce response, all versions. */
export interface ProduceResponse {
  responses: { name: string; partitions: ProducePartitionResponse[] }[];
  /** v1+ */
  throttleTimeMs: number;
}
