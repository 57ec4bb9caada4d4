/**
 * AddOffsetsToTxn Request (Version: 0) => transactional_id producer_id producer_epoch group_id
 *   transactional_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   group_id => STRING
 */
import type { Decoder } from '../../../decoder';
import type { AddOffsetsToTxnRequest } from '../types';

export function decode(d: Decoder): AddOffsetsToTxnRequest {
  return {
    transactionalId: d.readString(),
    producerId: d.readInt64(),
    producerEpoch: d.readInt16(),
    groupId: d.readString(),
  };
}
