/**
 * InitProducerId Request (Version: 2) => transactional_id transaction_timeout_ms TAG_BUFFER
 *   transactional_id => COMPACT_NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { InitProducerIdRequest } from '../types';

/** The flexible layout, v2-v5: v3+ add the producer id and epoch to bump (KIP-360). */
export function decodeFlexible(d: Decoder, version: number): InitProducerIdRequest {
  const transactionalId = d.readCompactNullableString();
  const transactionTimeoutMs = d.readInt32();
  // producer_id, producer_epoch (v3+): an idempotent producer (no transactional id) gets a new id anyway.
  const producerId = version >= 3 ? d.readInt64() : -1;
  const producerEpoch = version >= 3 ? d.readInt16() : -1;
  d.readTaggedFields();
  return { transactionalId, transactionTimeoutMs, producerId, producerEpoch };
}

export function decode(d: Decoder): InitProducerIdRequest {
  return decodeFlexible(d, 2);
}
