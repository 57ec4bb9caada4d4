/**
 * LeaveGroup Response (Version: 5) => throttle_time_ms error_code [members] TAG_BUFFER
 *   (same as v4)
 */
export { encode } from '../v4/response';
