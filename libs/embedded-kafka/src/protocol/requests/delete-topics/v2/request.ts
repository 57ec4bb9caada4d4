/**
 * DeleteTopics Request (Version: 2) => [topic_names] timeout_ms
 *   (same as v0)
 */
export { decode } from '../v0/request';
