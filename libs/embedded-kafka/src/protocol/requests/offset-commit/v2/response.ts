/**
 * OffsetCommit Response (Version: 2) => [topics]
 *   (same as v0)
 */
export { encode } from '../v0/response';
