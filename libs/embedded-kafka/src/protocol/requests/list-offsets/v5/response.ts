/**
 * ListOffsets Response (Version: 5) => throttle_time_ms [topics]
 *   (same as v4)
 */
export { encode } from '../v4/response';
