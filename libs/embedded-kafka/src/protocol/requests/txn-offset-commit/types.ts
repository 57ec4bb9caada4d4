/** TxnOffsetCommit request, versions 0-3. */
export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: number;
  producerEpoch: number;
  /** v3+ (KIP-447), -1 before */
  generationId: number;
  /** v3+, "" before */
  memberId: string;
  /** v3+, null before */
  groupInstanceId: string | null;
  topics: {
    name: string;
    partitions: {
      partitionIndex: number;
      committedOffset: number;
      /** v2+ (-1 before) */
      committedLeaderEpoch: number;
      committedMetadata: string | null;
    }[];
  }[];
}

/** TxnOffsetCommit response, versions 0-3. */
export interface TxnOffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}
