/**
 * OffsetCommit Response (Version: 7) => throttle_time_ms [topics]
 *   (same as v3)
 */
export { encode } from '../v3/response';
