/**
 * ListOffsets Request (Version: 9) => replica_id isolation_level [topics] TAG_BUFFER
 *   (same layout as v6; v9 adds LATEST_TIERED (-5), KIP-1005: offset -1 here, nothing is tiered)
 */
export { decode } from '../v6/request';
