/**
 * LeaveGroup Response (Version: 2) => throttle_time_ms error_code
 *   (same as v1)
 */
export { encode } from '../v1/response';
