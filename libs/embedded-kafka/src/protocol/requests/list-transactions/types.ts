/** ListTransactions request, versions 0-1. */
export interface ListTransactionsRequest {
  stateFilters: string[];
  producerIdFilters: number[];
  /** v1+: only transactions running longer than this (ms); -1 (and before v1): no filter. */
  durationFilterMs: number;
}

/** ListTransactions response, versions 0-1. */
export interface ListTransactionsResponse {
  throttleTimeMs: number;
  errorCode: number;
  unknownStateFilters: string[];
  transactionStates: { transactionalId: string; producerId: number; transactionState: string }[];
}
