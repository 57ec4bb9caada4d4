/**
 * JoinGroup Response (Version: 7) => throttle_time_ms error_code generation_id protocol_type protocol_name leader member_id [members] TAG_BUFFER
 *   (as v6, and:)
 *   protocol_type => COMPACT_NULLABLE_STRING
 *   protocol_name => COMPACT_NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { JoinGroupResponse } from '../types';
import { encodeFlexible } from '../v6/response';

export function encode(e: Encoder, r: JoinGroupResponse): void {
  encodeFlexible(e, r, 7);
}
