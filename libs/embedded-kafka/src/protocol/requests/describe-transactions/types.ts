/** DescribeTransactions request, version 0. */
export interface DescribeTransactionsRequest {
  transactionalIds: string[];
}

/** One transactional id as DescribeTransactions reports it. */
export interface DescribedTransaction {
  errorCode: number;
  transactionalId: string;
  transactionState: string;
  transactionTimeoutMs: number;
  transactionStartTimeMs: number;
  producerId: number;
  producerEpoch: number;
  topics: { topic: string; partitions: number[] }[];
}

/** DescribeTransactions response, version 0. */
export interface DescribeTransactionsResponse {
  throttleTimeMs: number;
  transactionStates: DescribedTransaction[];
}
