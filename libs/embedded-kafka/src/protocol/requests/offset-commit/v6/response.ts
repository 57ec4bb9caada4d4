/**
 * OffsetCommit Response (Version: 6) => throttle_time_ms [topics]
 *   (same as v3)
 */
export { encode } from '../v3/response';
