/**
 * Metadata Response (Version: 4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   (same as v3)
 */
export { encode } from '../v3/response';
