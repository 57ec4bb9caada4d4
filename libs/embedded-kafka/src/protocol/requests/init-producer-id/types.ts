/** InitProducerId request, versions 0-5. */
export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
  /** v3+ (KIP-360): the producer id to bump, -1 when none (and before v3). */
  producerId: number;
  /** v3+: the epoch of {@link producerId}, -1 when none. */
  producerEpoch: number;
}

/** InitProducerId response, versions 0-5. */
export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}
