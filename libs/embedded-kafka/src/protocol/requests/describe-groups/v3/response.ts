/**
 * DescribeGroups Response (Version: 3) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 *     authorized_operations => INT32
 */
import type { Encoder } from '../../../encoder';
import type { DescribeGroupsResponse } from '../types';

/** The v3-v4 layout: v4 adds group_instance_id after member_id. */
export function encodeV3To4(e: Encoder, r: DescribeGroupsResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeArray(r.groups, (x, g) => {
    x.writeInt16(g.errorCode).writeString(g.groupId).writeString(g.groupState);
    x.writeString(g.protocolType).writeString(g.protocolData);
    x.writeArray(g.members, (y, m) => {
      y.writeString(m.memberId);
      if (version >= 4) y.writeNullableString(m.groupInstanceId);
      y.writeString(m.clientId).writeString(m.clientHost);
      y.writeBytes(m.memberMetadata).writeBytes(m.memberAssignment);
    });
    x.writeInt32(r.authorizedOperations);
  });
}

export function encode(e: Encoder, r: DescribeGroupsResponse): void {
  encodeV3To4(e, r, 3);
}
