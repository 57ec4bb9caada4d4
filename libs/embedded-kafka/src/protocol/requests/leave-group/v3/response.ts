/**
 * LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   members => member_id group_instance_id error_code
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *     error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { LeaveGroupResponse } from '../types';

export function encode(e: Encoder, r: LeaveGroupResponse): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode);
  e.writeArray(r.members, (x, m) =>
    x.writeString(m.memberId).writeNullableString(m.groupInstanceId).writeInt16(m.errorCode),
  );
}
