/**
 * CreateTopics Request (Version: 2) => [topics] timeout_ms validate_only
 *   (same as v1)
 */
export { decode } from '../v1/request';
