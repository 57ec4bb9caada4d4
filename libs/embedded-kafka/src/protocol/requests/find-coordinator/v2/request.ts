/**
 * FindCoordinator Request (Version: 2) => key key_type
 *   key => STRING
 *   key_type => INT8
 * (same as v1)
 */
export { decode } from '../v1/request';
