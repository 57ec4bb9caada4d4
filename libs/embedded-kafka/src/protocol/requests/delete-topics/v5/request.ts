/**
 * DeleteTopics Request (Version: 5) => [topic_names] timeout_ms TAG_BUFFER
 *   (same as v4)
 */
export { decode } from '../v4/request';
