/** AddOffsetsToTxn request, versions 0-3. */
export interface AddOffsetsToTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  groupId: string;
}

/** AddOffsetsToTxn response, versions 0-3. */
export interface AddOffsetsToTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}
