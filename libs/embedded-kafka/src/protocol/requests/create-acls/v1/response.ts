/**
 * CreateAcls Response (Version: 1) => throttle_time_ms [results]
 *   results => error_code error_message
 */
export { encode } from '../v0/response';
