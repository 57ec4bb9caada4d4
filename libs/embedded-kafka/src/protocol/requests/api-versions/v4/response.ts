/**
 * ApiVersions Response (Version: 4) => error_code [api_keys] throttle_time_ms TAG_BUFFER
 *   (same layout as v3)
 */
export { encode } from '../v3/response';
