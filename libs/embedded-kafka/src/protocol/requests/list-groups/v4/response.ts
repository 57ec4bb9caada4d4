/**
 * ListGroups Response (Version: 4) => throttle_time_ms error_code [groups] TAG_BUFFER
 *   (as v3, and:)
 *   groups => group_id protocol_type group_state TAG_BUFFER
 *     group_state => COMPACT_STRING
 */
import type { Encoder } from '../../../encoder';
import type { ListGroupsResponse } from '../types';
import { encodeFlexible } from '../v3/response';

export function encode(e: Encoder, r: ListGroupsResponse): void {
  encodeFlexible(e, r, 4);
}
