/**
 * JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_name => STRING
 *   leader => STRING
 *   member_id => STRING
 *   members => member_id group_instance_id metadata
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *     metadata => BYTES
 */
import type { Encoder } from '../../../encoder';
import type { JoinGroupResponse } from '../types';
import { encodeHead } from '../v0/response';

export function encode(encoder: Encoder, response: JoinGroupResponse): void {
  encoder.writeInt32(response.throttleTimeMs);
  encodeHead(encoder, response);
  encoder.writeArray(response.members, (e, m) => {
    e.writeString(m.memberId).writeNullableString(m.groupInstanceId).writeBytes(m.metadata);
  });
}
