/**
 * CreatePartitions Response (Version: 3) => throttle_time_ms [results] TAG_BUFFER
 *   (same as v2)
 */
export { encode } from '../v2/response';
