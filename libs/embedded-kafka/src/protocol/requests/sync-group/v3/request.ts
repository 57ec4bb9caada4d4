/**
 * SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 */
import type { Decoder } from '../../../decoder';
import type { SyncGroupRequest } from '../types';
import { decodeAssignments } from '../v0/request';

export function decode(decoder: Decoder): SyncGroupRequest {
  const groupId = decoder.readString();
  const generationId = decoder.readInt32();
  const memberId = decoder.readString();
  const groupInstanceId = decoder.readNullableString();
  return {
    groupId,
    generationId,
    memberId,
    groupInstanceId,
    protocolType: null,
    protocolName: null,
    assignments: decodeAssignments(decoder),
  };
}
