/**
 * EndTxn Request (Version: 0) => transactional_id producer_id producer_epoch committed
 *   transactional_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   committed => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { EndTxnRequest } from '../types';

export function decode(d: Decoder): EndTxnRequest {
  return {
    transactionalId: d.readString(),
    producerId: d.readInt64(),
    producerEpoch: d.readInt16(),
    committed: d.readBoolean(),
  };
}
