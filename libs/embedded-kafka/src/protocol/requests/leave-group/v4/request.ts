/**
 * LeaveGroup Request (Version: 4) => group_id [members] TAG_BUFFER
 *   group_id => COMPACT_STRING
 *   members => member_id group_instance_id TAG_BUFFER
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { LeaveGroupRequest } from '../types';

/** The flexible layout, v4-v5: v5 adds a reason per member (KIP-800). */
export function decodeFlexible(d: Decoder, version: number): LeaveGroupRequest {
  const groupId = d.readCompactString();
  const members = d.readCompactArray((x) => {
    const m = { memberId: x.readCompactString(), groupInstanceId: x.readCompactNullableString() };
    if (version >= 5) x.readCompactNullableString(); // reason: logged by Kafka, not used
    x.readTaggedFields();
    return m;
  });
  d.readTaggedFields();
  return { groupId, members };
}

export function decode(d: Decoder): LeaveGroupRequest {
  return decodeFlexible(d, 4);
}
