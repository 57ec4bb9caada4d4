/**
 * Metadata Request (Version: 3) => [topics]
 *   (same as v1)
 */
export { decode } from '../v1/request';
