/**
 * DescribeGroups Response (Version: 0) => [groups]
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
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
 */
import type { Encoder } from '../../../encoder';
import type { DescribeGroupsResponse } from '../types';

export function encode(encoder: Encoder, response: DescribeGroupsResponse): void {
  encoder.writeArray(response.groups, (e, g) => {
    e.writeInt16(g.errorCode)
      .writeString(g.groupId)
      .writeString(g.groupState)
      .writeString(g.protocolType)
      .writeString(g.protocolData)
      .writeArray(g.members, (me, m) => {
        me.writeString(m.memberId)
          .writeString(m.clientId)
          .writeString(m.clientHost)
          .writeBytes(m.memberMetadata)
          .writeBytes(m.memberAssignment);
      });
  });
}
