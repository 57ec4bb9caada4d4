/**
 * DescribeGroups Response (Version: 2) => throttle_time_ms [groups]
 *   (same as v1)
 */
export { encode } from '../v1/response';
