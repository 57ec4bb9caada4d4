/**
 * AddOffsetsToTxn Request (Version: 3) => transactional_id producer_id producer_epoch group_id TAG_BUFFER
 *   transactional_id => COMPACT_STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   group_id => COMPACT_STRING
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { AddOffsetsToTxnRequest } from '../types';

export function decode(d: Decoder): AddOffsetsToTxnRequest {
  const r = {
    transactionalId: d.readCompactString(),
    producerId: d.readInt64(),
    producerEpoch: d.readInt16(),
    groupId: d.readCompactString(),
  };
  d.readTaggedFields();
  return r;
}
