/**
 * LeaveGroup Request (Version: 2) => group_id member_id
 *   (same as v0)
 */
export { decode } from '../v0/request';
