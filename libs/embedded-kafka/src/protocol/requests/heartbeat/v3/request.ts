/**
 * Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { HeartbeatRequest } from '../types';

export function decode(decoder: Decoder): HeartbeatRequest {
  const groupId = decoder.readString();
  const generationId = decoder.readInt32();
  const memberId = decoder.readString();
  return { groupId, generationId, memberId, groupInstanceId: decoder.readNullableString() };
}
