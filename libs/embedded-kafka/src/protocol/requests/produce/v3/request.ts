/**
 * Produce Request (Version: 3) => transactional_id acks timeout_ms [topic_data]
 *   transactional_id => NULLABLE_STRING
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
import { decodeBody } from '../v0/request';

export function decode(d: Decoder): ProduceRequest {
  return decodeBody(d, d.readNullableString());
}
