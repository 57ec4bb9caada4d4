/**
 * Produce Request (Version: 11) => transactional_id acks timeout_ms [topic_data] TAG_BUFFER
 *   (same as v9)
 */
export { decode } from '../v9/request';
