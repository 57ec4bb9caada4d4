/**
 * DeleteTopics Response (Version: 5) => throttle_time_ms [responses] TAG_BUFFER
 *   (as v4, and:)
 *   responses => name error_code error_message TAG_BUFFER
 *     error_message => COMPACT_NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { DeleteTopicsResponse } from '../types';
import { encodeFlexible } from '../v4/response';

export function encode(e: Encoder, r: DeleteTopicsResponse): void {
  encodeFlexible(e, r, 5);
}
