/**
 * Fetch Request (Version: 8) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
 *   (same as v7)
 */
export { decode } from '../v7/request';
