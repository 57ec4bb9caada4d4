/**
 * CreatePartitions Request (Version: 3) => [topics] timeout_ms validate_only TAG_BUFFER
 *   (same as v2)
 */
export { decode } from '../v2/request';
