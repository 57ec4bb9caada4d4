/**
 * DeleteRecords Response (Version: 1) => throttle_time_ms [topics]
 *   (same as v0)
 */
export { encode } from '../v0/response';
