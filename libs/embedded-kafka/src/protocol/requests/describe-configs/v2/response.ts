/**
 * DescribeConfigs Response (Version: 2) => throttle_time_ms [results]
 *   (same as v1)
 */
export { encode } from '../v1/response';
