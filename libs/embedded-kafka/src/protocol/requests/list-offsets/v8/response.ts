/**
 * ListOffsets Response (Version: 8) => throttle_time_ms [topics] TAG_BUFFER
 *   (same as v6)
 */
export { encode } from '../v6/response';
