/**
 * OffsetCommit Response (Version: 9) => throttle_time_ms [topics] TAG_BUFFER
 *   (same as v8)
 */
export { encode } from '../v8/response';
