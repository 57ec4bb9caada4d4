/**
 * Produce Response (Version: 3) => [responses] throttle_time_ms
 *   (same as v2)
 */
export { encode } from '../v2/response';
