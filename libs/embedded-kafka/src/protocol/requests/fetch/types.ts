/** One partition of a Fetch request. */
export interface FetchPartitionRequest {
  partition: number;
  /** v9+ (-1 before) */
  currentLeaderEpoch: number;
  fetchOffset: number;
  /** v5+ (-1 before; only followers send it) */
  logStartOffset: number;
  partitionMaxBytes: number;
}

/** Fetch request, all versions. */
export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  /** v3+ (unlimited before) */
  maxBytes: number;
  /** v4+: 0 = READ_UNCOMMITTED, 1 = READ_COMMITTED */
  isolationLevel: number;
  /** v7+ */
  sessionId: number;
  /** v7+ */
  sessionEpoch: number;
  topics: { topic: string; partitions: FetchPartitionRequest[] }[];
  /** v7+ */
  forgottenTopics: { topic: string; partitions: number[] }[];
  /** v11+ */
  rackId: string;
}

/** One partition of a Fetch response. */
export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  /** v4+ */
  lastStableOffset: number;
  /** v5+ */
  logStartOffset: number;
  /** v4+ (null when not reading committed) */
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  /** v11+ */
  preferredReadReplica: number;
  /** Raw record batches, sent as they are stored. */
  records: Buffer[];
  recordBytes: number;
}

/** Fetch response, all versions. */
export interface FetchResponse {
  /** v1+ */
  throttleTimeMs: number;
  /** v7+ */
  errorCode: number;
  /** v7+ */
  sessionId: number;
  responses: { topic: string; partitions: FetchPartitionResponse[] }[];
}
