/**
 * CreateTopics Request (Version: 4) => [topics] timeout_ms validate_only
 *   (same as v1; v4 allows num_partitions and replication_factor of -1 for broker defaults)
 */
export { decode } from '../v1/request';
