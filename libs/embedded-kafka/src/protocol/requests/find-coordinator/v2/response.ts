/**
 * FindCoordinator Response (Version: 2) => throttle_time_ms error_code error_message node_id host port
 *   (same as v1)
 */
export { encode } from '../v1/response';
