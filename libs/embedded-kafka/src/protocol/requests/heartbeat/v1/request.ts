/**
 * Heartbeat Request (Version: 1) => group_id generation_id member_id
 *   (same as v0)
 */
export { decode } from '../v0/request';
