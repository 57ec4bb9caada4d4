/**
 * ListOffsets Response (Version: 3) => throttle_time_ms [topics]
 *   (same as v2)
 */
export { encode } from '../v2/response';
