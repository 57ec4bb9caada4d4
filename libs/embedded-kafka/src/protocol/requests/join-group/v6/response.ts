/**
 * JoinGroup Response (Version: 6) => throttle_time_ms error_code generation_id protocol_name leader member_id [members] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_name => COMPACT_STRING
 *   leader => COMPACT_STRING
 *   member_id => COMPACT_STRING
 *   members => member_id group_instance_id metadata TAG_BUFFER
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *     metadata => COMPACT_BYTES
 */
import type { Encoder } from '../../../encoder';
import type { JoinGroupResponse } from '../types';

/**
 * The flexible layout, v6-v9: v7+ write protocol_type and a nullable
 * protocol_name, v9+ skip_assignment (always false: the leader assigns).
 */
export function encodeFlexible(e: Encoder, r: JoinGroupResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode).writeInt32(r.generationId);
  if (version >= 7) e.writeCompactNullableString(r.protocolType).writeCompactNullableString(r.protocolName);
  else e.writeCompactString(r.protocolName ?? '');
  e.writeCompactString(r.leader);
  if (version >= 9) e.writeBoolean(false);
  e.writeCompactString(r.memberId);
  e.writeCompactArray(r.members, (x, m) => {
    x.writeCompactString(m.memberId).writeCompactNullableString(m.groupInstanceId);
    x.writeCompactBytes(m.metadata).writeTaggedFields();
  });
  e.writeTaggedFields();
}

export function encode(e: Encoder, r: JoinGroupResponse): void {
  encodeFlexible(e, r, 6);
}
