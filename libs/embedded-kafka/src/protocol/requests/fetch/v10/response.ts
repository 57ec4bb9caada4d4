/**
 * Fetch Response (Version: 10) => throttle_time_ms error_code session_id [responses]
 *   (same as v7)
 */
export { encode } from '../v7/response';
