/**
 * DeleteRecords Request (Version: 1) => [topics] timeout_ms
 *   (same as v0)
 */
export { decode } from '../v0/request';
