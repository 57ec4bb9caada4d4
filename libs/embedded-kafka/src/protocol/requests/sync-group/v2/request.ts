/**
 * SyncGroup Request (Version: 2) => group_id generation_id member_id [assignments]
 *   (same as v0)
 */
export { decode } from '../v0/request';
