/**
 * OffsetCommit Request (Version: 4) => group_id generation_id member_id retention_time_ms [topics]
 *   (same as v2)
 */
export { decode } from '../v2/request';
