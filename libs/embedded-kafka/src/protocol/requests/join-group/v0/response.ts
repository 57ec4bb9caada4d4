/**
 * JoinGroup Response (Version: 0) => error_code generation_id protocol_name leader member_id [members]
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_name => STRING
 *   leader => STRING
 *   member_id => STRING
 *   members => member_id metadata
 *     member_id => STRING
 *     metadata => BYTES
 */
import type { Encoder } from '../../../encoder';
import type { JoinGroupResponse } from '../types';

/** Everything up to the members array (shared by v0-v5). */
export function encodeHead(encoder: Encoder, response: JoinGroupResponse): void {
  encoder
    .writeInt16(response.errorCode)
    .writeInt32(response.generationId)
    .writeString(response.protocolName ?? '')
    .writeString(response.leader)
    .writeString(response.memberId);
}

export function encode(encoder: Encoder, response: JoinGroupResponse): void {
  encodeHead(encoder, response);
  encoder.writeArray(response.members, (e, m) => {
    e.writeString(m.memberId).writeBytes(m.metadata);
  });
}
