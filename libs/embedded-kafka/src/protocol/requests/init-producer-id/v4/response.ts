/**
 * InitProducerId Response (Version: 4) => throttle_time_ms error_code producer_id producer_epoch TAG_BUFFER
 *   (same as v2)
 */
export { encode } from '../v2/response';
