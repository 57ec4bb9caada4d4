/**
 * JoinGroup Response (Version: 9) => throttle_time_ms error_code generation_id protocol_type protocol_name leader skip_assignment member_id [members] TAG_BUFFER
 *   (as v7, and:)
 *   skip_assignment => BOOLEAN   (KIP-814; always false: the leader computes the assignment)
 */
import type { Encoder } from '../../../encoder';
import type { JoinGroupResponse } from '../types';
import { encodeFlexible } from '../v6/response';

export function encode(e: Encoder, r: JoinGroupResponse): void {
  encodeFlexible(e, r, 9);
}
