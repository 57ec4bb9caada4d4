/**
 * LeaveGroup Response (Version: 4) => throttle_time_ms error_code [members] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   members => member_id group_instance_id error_code TAG_BUFFER
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *     error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { LeaveGroupResponse } from '../types';

export function encode(e: Encoder, r: LeaveGroupResponse): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode);
  e.writeCompactArray(r.members, (x, m) => {
    x.writeCompactString(m.memberId).writeCompactNullableString(m.groupInstanceId);
    x.writeInt16(m.errorCode).writeTaggedFields();
  });
  e.writeTaggedFields();
}
