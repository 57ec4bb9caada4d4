/**
 * ListGroups Response (Version: 5) => throttle_time_ms error_code [groups] TAG_BUFFER
 *   (as v4, and:)
 *   groups => group_id protocol_type group_state group_type TAG_BUFFER
 *     group_type => COMPACT_STRING   (always "classic")
 */
import type { Encoder } from '../../../encoder';
import type { ListGroupsResponse } from '../types';
import { encodeFlexible } from '../v3/response';

export function encode(e: Encoder, r: ListGroupsResponse): void {
  encodeFlexible(e, r, 5);
}
