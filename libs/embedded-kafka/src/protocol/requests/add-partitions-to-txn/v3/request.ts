/**
 * AddPartitionsToTxn Request (Version: 3) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics] TAG_BUFFER
 *   v3_and_below_transactional_id => COMPACT_STRING
 *   v3_and_below_producer_id => INT64
 *   v3_and_below_producer_epoch => INT16
 *   v3_and_below_topics => name [partitions] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partitions => INT32
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { AddPartitionsToTxnRequest } from '../types';

export function decode(d: Decoder): AddPartitionsToTxnRequest {
  const transactionalId = d.readCompactString();
  const producerId = d.readInt64();
  const producerEpoch = d.readInt16();
  const topics = d.readCompactArray((x) => {
    const t = { name: x.readCompactString(), partitions: x.readCompactInt32Array() };
    x.readTaggedFields();
    return t;
  });
  d.readTaggedFields();
  return { transactionalId, producerId, producerEpoch, topics };
}
