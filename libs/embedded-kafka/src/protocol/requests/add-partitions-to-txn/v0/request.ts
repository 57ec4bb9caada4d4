/**
 * AddPartitionsToTxn Request (Version: 0) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics]
 *   v3_and_below_transactional_id => STRING
 *   v3_and_below_producer_id => INT64
 *   v3_and_below_producer_epoch => INT16
 *   v3_and_below_topics => name [partitions]
 *     name => STRING
 *     partitions => INT32
 */
import type { Decoder } from '../../../decoder';
import type { AddPartitionsToTxnRequest } from '../types';

export function decode(d: Decoder): AddPartitionsToTxnRequest {
  const transactionalId = d.readString();
  const producerId = d.readInt64();
  const producerEpoch = d.readInt16();
  const topics = d.readArray((x) => ({ name: x.readString(), partitions: x.readInt32Array() }));
  return { transactionalId, producerId, producerEpoch, topics };
}
