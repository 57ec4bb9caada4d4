/**
 * OffsetFetch Request (Version: 9) => [groups] require_stable TAG_BUFFER
 *   (as v8, and:)
 *   groups => group_id member_id member_epoch [topics] TAG_BUFFER
 *     member_id => COMPACT_NULLABLE_STRING
 *     member_epoch => INT32
 */
import type { Decoder } from '../../../decoder';
import type { OffsetFetchRequest } from '../types';
import { decodeBatched } from '../v8/request';

export function decode(d: Decoder): OffsetFetchRequest {
  return decodeBatched(d, 9);
}
