/**
 * ListGroups Response (Version: 3) => throttle_time_ms error_code [groups] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => group_id protocol_type TAG_BUFFER
 *     group_id => COMPACT_STRING
 *     protocol_type => COMPACT_STRING
 */
import type { Encoder } from '../../../encoder';
import type { ListGroupsResponse } from '../types';

/** Every group here is a classic group (KIP-848's `consumer` groups are not run). */
const GROUP_TYPE = 'classic';

/** The flexible layout, v3-v5: v4 adds group_state, v5 group_type. */
export function encodeFlexible(e: Encoder, r: ListGroupsResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode);
  e.writeCompactArray(r.groups, (x, g) => {
    x.writeCompactString(g.groupId).writeCompactString(g.protocolType);
    if (version >= 4) x.writeCompactString(g.groupState);
    if (version >= 5) x.writeCompactString(GROUP_TYPE);
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}

export function encode(e: Encoder, r: ListGroupsResponse): void {
  encodeFlexible(e, r, 3);
}
