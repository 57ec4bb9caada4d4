/** DeleteTopics request, versions 0-1. */
export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}

/** DeleteTopics response, versions 0-1. */
export interface DeleteTopicsResponse {
  /** v1+ */
  throttleTimeMs: number;
  responses: { name: string; errorCode: number }[];
}
