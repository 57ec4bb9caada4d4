/**
 * JoinGroup Request (Version: 9) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] reason TAG_BUFFER
 *   (same as v8)
 */
export { decode } from '../v8/request';
