/** EndTxn request, versions 0-3. */
export interface EndTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  /** true: commit, false: abort */
  committed: boolean;
}

/** EndTxn response, versions 0-3. */
export interface EndTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}
