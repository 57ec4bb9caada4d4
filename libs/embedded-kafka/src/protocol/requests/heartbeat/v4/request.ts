/**
 * Heartbeat Request (Version: 4) => group_id generation_id member_id group_instance_id TAG_BUFFER
 *   group_id => COMPACT_STRING
 *   generation_id => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { HeartbeatRequest } from '../types';

export function decode(d: Decoder): HeartbeatRequest {
  const groupId = d.readCompactString();
  const generationId = d.readInt32();
  const memberId = d.readCompactString();
  const groupInstanceId = d.readCompactNullableString();
  d.readTaggedFields();
  return { groupId, generationId, memberId, groupInstanceId };
}
