/**
 * CreateTopics Request (Version: 7) => [topics] timeout_ms validate_only TAG_BUFFER
 *   (same as v5)
 */
export { decode } from '../v5/request';
