/**
 * DeleteTopics Response (Version: 6) => throttle_time_ms [responses] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   responses => name topic_id error_code error_message TAG_BUFFER
 *     name => COMPACT_NULLABLE_STRING
 *     topic_id => UUID
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { DeleteTopicsResponse } from '../types';
import { encodeFlexible } from '../v4/response';

export function encode(e: Encoder, r: DeleteTopicsResponse): void {
  encodeFlexible(e, r, 6);
}
