/**
 * ApiVersions Response (Version: 2) => error_code [api_keys] throttle_time_ms
 *   (same layout as v1)
 */
export { encode } from '../v1/response';
