/** ListOffsets request, all versions. */
export interface ListOffsetsRequest {
  replicaId: number;
  /** v2+ */
  isolationLevel: number;
  topics: {
    name: string;
    /** `currentLeaderEpoch` from v4 (-1 before). */
    partitions: {
      partitionIndex: number;
      currentLeaderEpoch: number;
      timestamp: number;
      maxNumOffsets: number;
    }[];
  }[];
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  /** v0 only */
  oldStyleOffsets: number[];
  /** v1+ */
  timestamp: number;
  /** v1+ */
  offset: number;
  /** v4+ (-1 when no offset) */
  leaderEpoch: number;
}

/** ListOffsets response, all versions. */
export interface ListOffsetsResponse {
  /** v2+ */
  throttleTimeMs: number;
  topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[];
}
