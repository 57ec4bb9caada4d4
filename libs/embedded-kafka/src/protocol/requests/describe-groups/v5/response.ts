/**
 * DescribeGroups Response (Version: 5) => throttle_time_ms [groups] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations TAG_BUFFER
 *     error_code => INT16
 *     group_id => COMPACT_STRING
 *     group_state => COMPACT_STRING
 *     protocol_type => COMPACT_STRING
 *     protocol_data => COMPACT_STRING
 *     members => member_id group_instance_id client_id client_host member_metadata member_assignment TAG_BUFFER
 *       member_id => COMPACT_STRING
 *       group_instance_id => COMPACT_NULLABLE_STRING
 *       client_id => COMPACT_STRING
 *       client_host => COMPACT_STRING
 *       member_metadata => COMPACT_BYTES
 *       member_assignment => COMPACT_BYTES
 *     authorized_operations => INT32
 */
import type { Encoder } from '../../../encoder';
import type { DescribeGroupsResponse } from '../types';

export function encode(e: Encoder, r: DescribeGroupsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.groups, (x, g) => {
    x.writeInt16(g.errorCode).writeCompactString(g.groupId).writeCompactString(g.groupState);
    x.writeCompactString(g.protocolType).writeCompactString(g.protocolData);
    x.writeCompactArray(g.members, (y, m) => {
      y.writeCompactString(m.memberId).writeCompactNullableString(m.groupInstanceId);
      y.writeCompactString(m.clientId).writeCompactString(m.clientHost);
      y.writeCompactBytes(m.memberMetadata).writeCompactBytes(m.memberAssignment).writeTaggedFields();
    });
    x.writeInt32(r.authorizedOperations).writeTaggedFields();
  });
  e.writeTaggedFields();
}
