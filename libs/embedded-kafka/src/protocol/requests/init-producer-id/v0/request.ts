/**
 * InitProducerId Request (Version: 0) => transactional_id transaction_timeout_ms
 *   transactional_id => NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 */
import type { Decoder } from '../../../decoder';
import type { InitProducerIdRequest } from '../types';

export function decode(d: Decoder): InitProducerIdRequest {
  return {
    transactionalId: d.readNullableString(),
    transactionTimeoutMs: d.readInt32(),
    producerId: -1,
    producerEpoch: -1,
  };
}
