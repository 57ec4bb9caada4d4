/**
 * Fetch Request (Version: 1) => replica_id max_wait_ms min_bytes [topics]
 *   (same as v0)
 */
export { decode } from '../v0/request';
