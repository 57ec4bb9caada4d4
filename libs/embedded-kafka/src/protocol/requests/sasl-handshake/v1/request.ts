/**
 * SaslHandshake Request (Version: 1) => mechanism
 *   mechanism => STRING
 *
 * Same wire as v0; v1 means the SASL tokens that follow travel in SaslAuthenticate requests.
 */
export { decode } from '../v0/request';
