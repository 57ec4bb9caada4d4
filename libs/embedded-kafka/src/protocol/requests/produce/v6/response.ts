/**
 * Produce Response (Version: 6) => [responses] throttle_time_ms
 *   (same as v5)
 */
export { encode } from '../v5/response';
