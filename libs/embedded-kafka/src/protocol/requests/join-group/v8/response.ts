/**
 * JoinGroup Response (Version: 8) => throttle_time_ms error_code generation_id protocol_type protocol_name leader member_id [members] TAG_BUFFER
 *   (same as v7)
 */
export { encode } from '../v7/response';
