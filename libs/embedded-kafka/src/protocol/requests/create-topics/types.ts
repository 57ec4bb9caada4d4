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
  topics: CreateTopicsResult[];
}

/** One topic of a CreateTopics response. */
export interface CreateTopicsResult {
  name: string;
  errorCode: number;
  /** v1+ */
  errorMessage: string | null;
  /** v7+ (the zero UUID when not created) */
  topicId: string;
  /** v5+ (-1 on error) */
  numPartitions: number;
  /** v5+ (-1 on error) */
  replicationFactor: number;
  /** v5+ (null on error) */
  configs:
    | { name: string; value: string | null; readOnly: boolean; configSource: number; isSensitive: boolean }[]
    | null;
}
