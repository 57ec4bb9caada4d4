/** CreatePartitions request, versions 0-1. */
export interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
}

/** CreatePartitions response, versions 0-1. */
export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: { name: string; errorCode: number; errorMessage: string | null }[];
}
