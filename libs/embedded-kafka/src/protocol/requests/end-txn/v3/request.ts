/**
 * EndTxn Request (Version: 3) => transactional_id producer_id producer_epoch committed TAG_BUFFER
 *   transactional_id => COMPACT_STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   committed => BOOLEAN
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { EndTxnRequest } from '../types';

export function decode(d: Decoder): EndTxnRequest {
  const r = {
    transactionalId: d.readCompactString(),
    producerId: d.readInt64(),
    producerEpoch: d.readInt16(),
    committed: d.readBoolean(),
  };
  d.readTaggedFields();
  return r;
}
