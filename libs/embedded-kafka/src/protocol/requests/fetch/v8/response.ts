/**
 * Fetch Response (Version: 8) => throttle_time_ms error_code session_id [responses]
 *   (same as v7)
 */
export { encode } from '../v7/response';
