/** DeleteTopics request, all versions. */
export interface DeleteTopicsRequest {
  /** By name; from v6 each entry names a topic by name or by id (`name` null). */
  topics: { name: string | null; topicId: string | null }[];
  timeoutMs: number;
}

/** DeleteTopics response, all versions. */
export interface DeleteTopicsResponse {
  /** v1+ */
  throttleTimeMs: number;
  responses: {
    /** Null only for an unknown topic asked for by id (v6+). */
    name: string | null;
    /** v6+ */
    topicId: string;
    errorCode: number;
    /** v5+ */
    errorMessage: string | null;
  }[];
}
