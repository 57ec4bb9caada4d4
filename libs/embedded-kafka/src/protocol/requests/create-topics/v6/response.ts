/**
 * CreateTopics Response (Version: 6) => throttle_time_ms [topics] TAG_BUFFER
 *   (same as v5)
 */
export { encode } from '../v5/response';
