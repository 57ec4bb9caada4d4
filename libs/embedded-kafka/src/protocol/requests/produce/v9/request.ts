/**
 * Produce Request (Version: 9) => transactional_id acks timeout_ms [topic_data] TAG_BUFFER
 *   transactional_id => COMPACT_NULLABLE_STRING
 *   acks => INT16
 *   timeout_ms => INT32
 *   topic_data => name [partition_data] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partition_data => index records TAG_BUFFER
 *       index => INT32
 *       records => COMPACT_RECORDS
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { ProduceRequest } from '../types';

export function decode(d: Decoder): ProduceRequest {
  const transactionalId = d.readCompactNullableString();
  const acks = d.readInt16();
  const timeoutMs = d.readInt32();
  const topics = d.readCompactArray((x) => {
    const name = x.readCompactString();
    const partitions = x.readCompactArray((y) => {
      const p = { index: y.readInt32(), records: y.readCompactNullableBytes() };
      y.readTaggedFields();
      return p;
    });
    x.readTaggedFields();
    return { name, partitions };
  });
  d.readTaggedFields();
  return { transactionalId, acks, timeoutMs, topics };
}
