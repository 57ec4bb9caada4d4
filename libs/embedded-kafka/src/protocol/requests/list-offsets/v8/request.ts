/**
 * ListOffsets Request (Version: 8) => replica_id isolation_level [topics] TAG_BUFFER
 *   (same layout as v6; v8 adds EARLIEST_LOCAL (-4), KIP-405: the log start here, nothing is tiered)
 */
export { decode } from '../v6/request';
