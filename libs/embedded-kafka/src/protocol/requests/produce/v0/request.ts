/**
 * Produce Request (Version: 0) => acks timeout_ms [topic_data]
 *   acks => INT16
 *   timeout_ms => INT32
 *   topic_data => name [partition_data]
 *     name => STRING
 *     partition_data => index records
 *       index => INT32
 *       records => RECORDS
 */
import type { Decoder } from '../../../decoder';
import type { ProduceRequest } from '../types';

export function decodeBody(d: Decoder, transactionalId: string | null): ProduceRequest {
  const acks = d.readInt16();
  const timeoutMs = d.readInt32();
  const topics = d.readArray((x) => ({
    name: x.readString(),
    partitions: x.readArray((y) => ({ index: y.readInt32(), records: y.readNullableBytes() })),
  }));
  return { transactionalId, acks, timeoutMs, topics };
}

export function decode(d: Decoder): ProduceRequest {
  return decodeBody(d, null);
}
