/** DeleteRecords request, versions 0-1. */
export interface DeleteRecordsRequest {
  topics: { name: string; partitions: { partitionIndex: number; offset: number }[] }[];
  timeoutMs: number;
}

/** DeleteRecords response, versions 0-1. */
export interface DeleteRecordsResponse {
  throttleTimeMs: number;
  topics: {
    name: string;
    partitions: { partitionIndex: number; lowWatermark: number; errorCode: number }[];
  }[];
}
