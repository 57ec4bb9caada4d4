/**
 * InitProducerId Request (Version: 3) => transactional_id transaction_timeout_ms producer_id producer_epoch TAG_BUFFER
 *   transactional_id => COMPACT_NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 *   producer_id => INT64
 *   producer_epoch => INT16
 */
import type { Decoder } from '../../../decoder';
import type { InitProducerIdRequest } from '../types';
import { decodeFlexible } from '../v2/request';

export function decode(d: Decoder): InitProducerIdRequest {
  return decodeFlexible(d, 3);
}
