/**
 * ListOffsets Request (Version: 5) => replica_id isolation_level [topics]
 *   (same as v4)
 */
export { decode } from '../v4/request';
