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
}

/** Produce response, all versions. */
export interface ProduceResponse {
  responses: { name: string; partitions: ProducePartitionResponse[] }[];
  /** v1+ */
  throttleTimeMs: number;
}
