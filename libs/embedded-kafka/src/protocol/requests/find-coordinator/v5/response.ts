/**
 * FindCoordinator Response (Version: 5) => throttle_time_ms [coordinators] TAG_BUFFER
 *   (same as v4)
 */
export { encode } from '../v4/response';
