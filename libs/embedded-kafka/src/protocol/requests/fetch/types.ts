/** One partition of a Fetch request. */
export interface FetchPartitionRequest {
  partition: number;
  /** v9+ (-1 before) */
  currentLeaderEpoch: number;
  fetchOffset: number;
  /** v12+ (-1 before; only followers send it) */
  lastFetchedEpoch: number;
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
  /** By name before v13, by `topicId` (32 hex digits, `topic` empty) from v13. */
  topics: { topic: string; topicId: string | null; partitions: FetchPartitionRequest[] }[];
  /** v7+ (by id from v13) */
  forgottenTopics: { topic: string; topicId: string | null; partitions: number[] }[];
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
  /** `topicId` (v13+) is the id the request named the topic by. */
  responses: { topic: string; topicId: string | null; partitions: FetchPartitionResponse[] }[];
}
