/**
 * Produce Request (Version: 8) => transactional_id acks timeout_ms [topic_data]
 *   (same as v3)
 */
export { decode } from '../v3/request';
