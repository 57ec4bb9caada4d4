/** AddPartitionsToTxn request, versions 0-3. */
export interface AddPartitionsToTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  topics: { name: string; partitions: number[] }[];
}

/** AddPartitionsToTxn response, versions 0-3: an error code per partition. */
export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  results: { name: string; results: { partitionIndex: number; errorCode: number }[] }[];
}
