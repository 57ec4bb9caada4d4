/** InitProducerId request, versions 0-1. */
export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
}

/** InitProducerId response, versions 0-1. */
export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}
