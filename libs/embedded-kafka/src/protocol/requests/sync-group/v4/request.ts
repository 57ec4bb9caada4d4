/**
 * SyncGroup Request (Version: 4) => group_id generation_id member_id group_instance_id [assignments] TAG_BUFFER
 *   group_id => COMPACT_STRING
 *   generation_id => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *   assignments => member_id assignment TAG_BUFFER
 *     member_id => COMPACT_STRING
 *     assignment => COMPACT_BYTES
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { SyncGroupRequest } from '../types';

/** The flexible layout, v4-v5: v5 adds protocol_type and protocol_name after group_instance_id. */
export function decodeFlexible(d: Decoder, version: number): SyncGroupRequest {
  const groupId = d.readCompactString();
  const generationId = d.readInt32();
  const memberId = d.readCompactString();
  const groupInstanceId = d.readCompactNullableString();
  const protocolType = version >= 5 ? d.readCompactNullableString() : null;
  const protocolName = version >= 5 ? d.readCompactNullableString() : null;
  const assignments = d.readCompactArray((x) => {
    const memberId = x.readCompactString();
    // Copy: assignments outlive the request frame.
    const assignment = Buffer.from(x.readCompactBytes());
    x.readTaggedFields();
    return { memberId, assignment };
  });
  d.readTaggedFields();
  return { groupId, generationId, memberId, groupInstanceId, protocolType, protocolName, assignments };
}

export function decode(d: Decoder): SyncGroupRequest {
  return decodeFlexible(d, 4);
}
