/**
 * OffsetFetch Request (Version: 1) => group_id [topics]
 *   (same as v0)
 */
export { decode } from '../v0/request';
