/**
 * OffsetFetch Response (Version: 1) => [topics]
 *   (same as v0)
 */
export { encode } from '../v0/response';
