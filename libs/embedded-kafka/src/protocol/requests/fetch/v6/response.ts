/**
 * Fetch Response (Version: 6) => throttle_time_ms [responses]
 *   (same as v5)
 */
export { encode } from '../v5/response';
