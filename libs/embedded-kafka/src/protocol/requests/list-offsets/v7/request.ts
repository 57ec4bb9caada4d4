/**
 * ListOffsets Request (Version: 7) => replica_id isolation_level [topics] TAG_BUFFER
 *   (same layout as v6; v7 adds the MAX_TIMESTAMP (-3) query, KIP-734)
 */
export { decode } from '../v6/request';
