/**
 * SaslAuthenticate Request (Version: 1) => auth_bytes
 *   auth_bytes => BYTES
 */
export { decode } from '../v0/request';
