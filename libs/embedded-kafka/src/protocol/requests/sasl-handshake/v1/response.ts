/**
 * SaslHandshake Response (Version: 1) => error_code [mechanisms]
 *   error_code => INT16
 *   mechanisms => STRING
 */
export { encode } from '../v0/response';
