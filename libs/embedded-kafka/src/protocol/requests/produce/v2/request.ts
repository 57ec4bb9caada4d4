/**
 * Produce Request (Version: 2) => acks timeout_ms [topic_data]
 *   (same as v0)
 */
export { decode } from '../v0/request';
