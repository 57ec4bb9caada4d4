/**
 * JoinGroup Response (Version: 1) => error_code generation_id protocol_name leader member_id [members]
 *   (same as v0)
 */
export { encode } from '../v0/response';
