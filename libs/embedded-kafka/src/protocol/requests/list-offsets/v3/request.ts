/**
 * ListOffsets Request (Version: 3) => replica_id isolation_level [topics]
 *   (same as v2)
 */
export { decode } from '../v2/request';
