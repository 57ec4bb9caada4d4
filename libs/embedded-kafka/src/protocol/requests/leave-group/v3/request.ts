/**
 * LeaveGroup Request (Version: 3) => group_id [members]
 *   group_id => STRING
 *   members => member_id group_instance_id
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *
 * Batched leaves (KIP-345).
 */
import type { Decoder } from '../../../decoder';
import type { LeaveGroupRequest } from '../types';

export function decode(d: Decoder): LeaveGroupRequest {
  const groupId = d.readString();
  const members = d.readArray((x) => ({ memberId: x.readString(), groupInstanceId: x.readNullableString() }));
  return { groupId, members };
}
