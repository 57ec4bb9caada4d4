/**
 * CreateTopics Response (Version: 4) => throttle_time_ms [topics]
 *   (same as v2)
 */
export { encode } from '../v2/response';
