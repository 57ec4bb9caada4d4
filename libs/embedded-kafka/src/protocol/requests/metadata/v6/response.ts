/**
 * Metadata Response (Version: 6) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   (same as v5)
 */
export { encode } from '../v5/response';
