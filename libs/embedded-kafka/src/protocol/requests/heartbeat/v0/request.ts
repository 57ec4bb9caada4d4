/**
 * Heartbeat Request (Version: 0) => group_id generation_id member_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 */
import type { Decoder } from '../../../decoder';
import type { HeartbeatRequest } from '../types';

export function decode(decoder: Decoder): HeartbeatRequest {
  const groupId = decoder.readString();
  const generationId = decoder.readInt32();
  const memberId = decoder.readString();
  return { groupId, generationId, memberId, groupInstanceId: null };
}
