/** CreateTopics request, all versions. */
export interface CreateTopicsRequest {
  topics: {
    name: string;
    numPartitions: number;
    replicationFactor: number;
    assignments: { partitionIndex: number; brokerIds: number[] }[];
    configs: { name: string; value: string | null }[];
  }[];
  timeoutMs: number;
  /** v1+ */
  validateOnly: boolean;
}

/** CreateTopics response, all versions. */
export interface CreateTopicsResponse {
  /** v2+ */
  throttleTimeMs: number;
  topics: { name: string; errorCode: number; /** v1+ */ errorMessage: string | null }[];
}
