/**
 * DeleteGroups Response (Version: 1) => throttle_time_ms [results]
 *   (same as v0)
 */
export { encode } from '../v0/response';
