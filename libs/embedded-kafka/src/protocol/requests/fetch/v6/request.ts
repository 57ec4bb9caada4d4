/**
 * Fetch Request (Version: 6) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   (same as v5)
 */
export { decode } from '../v5/request';
