/**
 * Metadata Request (Version: 2) => [topics]
 *   (same as v1)
 */
export { decode } from '../v1/request';
