/**
 * OffsetFetch Request (Version: 5) => group_id [topics]
 *   (same as v2)
 */
export { decode } from '../v2/request';
