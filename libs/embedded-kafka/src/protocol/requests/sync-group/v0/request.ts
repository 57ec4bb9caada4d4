/**
 * SyncGroup Request (Version: 0) => group_id generation_id member_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 */
import type { Decoder } from '../../../decoder';
import type { SyncGroupRequest } from '../types';

/** Reads the assignments array (the same in every version). */
export function decodeAssignments(decoder: Decoder): SyncGroupRequest['assignments'] {
  return decoder.readArray((d) => {
    const memberId = d.readString();
    // Copy: assignments outlive the request frame.
    return { memberId, assignment: Buffer.from(d.readBytes()) };
  });
}

export function decode(decoder: Decoder): SyncGroupRequest {
  const groupId = decoder.readString();
  const generationId = decoder.readInt32();
  const memberId = decoder.readString();
  return {
    groupId,
    generationId,
    memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: decodeAssignments(decoder),
  };
}
