/**
 * CreatePartitions Request (Version: 1) => [topics] timeout_ms validate_only
 *   (same as v0)
 */
export { decode } from '../v0/request';
