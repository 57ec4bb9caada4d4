/**
 * OffsetFetch Response (Version: 7) => throttle_time_ms [topics] error_code TAG_BUFFER
 *   (same as v6)
 */
export { encode } from '../v6/response';
