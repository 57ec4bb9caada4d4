/**
 * InitProducerId Response (Version: 1) => throttle_time_ms error_code producer_id producer_epoch
 *   (same as v0)
 */
export { encode } from '../v0/response';
