/**
 * LeaveGroup Request (Version: 0) => group_id member_id
 *   group_id => STRING
 *   member_id => STRING
 */
import type { Decoder } from '../../../decoder';
import type { LeaveGroupRequest } from '../types';

export function decode(decoder: Decoder): LeaveGroupRequest {
  const groupId = decoder.readString();
  return { groupId, members: [{ memberId: decoder.readString(), groupInstanceId: null }] };
}
